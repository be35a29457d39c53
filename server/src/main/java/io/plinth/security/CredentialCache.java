package io.plinth.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Authenticated API keys and sessions, by the hash of their secret, for {@code plinth.security.cache-ttl}: a request
 * with a known credential costs no database round trip. Any change to users, keys or sessions on this instance empties
 * it; other instances see the change when their entry expires.
 */
@Component
class CredentialCache {

    /** A credential found valid: who it stands for, until when, and the session's CSRF token (sessions only). */
    record Entry(PlinthPrincipal principal, OffsetDateTime expiresAt, String csrfToken) {
        boolean expired() {
            return expiresAt != null && !expiresAt.isAfter(OffsetDateTime.now());
        }
    }

    /** How long a credential checked once stays usable while the database cannot be reached. */
    static final Duration OUTAGE_GRACE = Duration.ofMinutes(30);

    private final Cache<String, Optional<Entry>> entries;
    private final Cache<String, Entry> lastKnown;

    CredentialCache(SecurityProperties properties) {
        this.entries = Caffeine.newBuilder().expireAfterWrite(properties.cacheTtl()).maximumSize(100_000).build();
        this.lastKnown = Caffeine.newBuilder().expireAfterWrite(OUTAGE_GRACE).maximumSize(100_000).build();
    }

    /**
     * The entry for this hash, loading (and caching) it when absent; an unknown credential is not cached. When the
     * database cannot be reached, a credential this instance checked within {@link #OUTAGE_GRACE} is still trusted:
     * nothing can have been revoked meanwhile, and an operator's Prometheus must keep scraping {@code
     * plinth_database_up 0} through the outage.
     */
    Optional<Entry> get(String hash, Function<String, Optional<Entry>> load) {
        Optional<Entry> cached = entries.getIfPresent(hash);
        if (cached == null) {
            try {
                cached = load.apply(hash);
            } catch (org.jooq.exception.DataAccessException | org.springframework.dao.DataAccessException e) {
                Entry known = lastKnown.getIfPresent(hash);
                if (known == null) {
                    throw e;
                }
                cached = Optional.of(known);
            }
            if (cached.isPresent()) {
                entries.put(hash, cached);
                lastKnown.put(hash, cached.get());
            }
        }
        return cached.filter(entry -> !entry.expired());
    }

    void forget(String hash) {
        entries.invalidate(hash);
        lastKnown.invalidate(hash);
    }

    void forgetAll() {
        entries.invalidateAll();
        lastKnown.invalidateAll();
    }
}
