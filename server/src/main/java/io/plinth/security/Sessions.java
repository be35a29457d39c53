package io.plinth.security;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Web sessions: a random token in an HttpOnly cookie, stored as its SHA-256 with the session's CSRF token. */
@Component
class Sessions {

    /** A session just started: the cookie's token, the CSRF token and when it ends. */
    record Started(String token, String csrfToken, OffsetDateTime expiresAt) {
    }

    private final DSLContext db;
    private final CredentialCache cache;
    private final SecurityProperties.Session settings;

    Sessions(DSLContext db, CredentialCache cache, SecurityProperties properties) {
        this.db = db;
        this.cache = cache;
        this.settings = properties.session();
    }

    Started start(UUID userId, String remoteAddress) {
        String token = Tokens.random();
        String csrf = Tokens.random();
        OffsetDateTime expiresAt = OffsetDateTime.now().plus(settings.timeout());
        db.execute("delete from plinth_session where expires_at < now()");
        db.execute("insert into plinth_session (token_hash, user_id, csrf_token, expires_at, remote_address) "
                + "values (?, ?, ?, ?::timestamptz, ?)", Tokens.hash(token), userId, csrf, expiresAt, remoteAddress);
        return new Started(token, csrf, expiresAt);
    }

    /** The session of a cookie's token, when it exists, has not expired and its user is enabled. */
    Optional<CredentialCache.Entry> find(String token) {
        return cache.get(Tokens.hash(token), hash -> db.fetchOptional("select s.expires_at, s.csrf_token, u.id, "
                        + "u.username, u.roles from plinth_session s join plinth_user u on u.id = s.user_id "
                        + "where s.token_hash = ? and s.expires_at > now() and not u.disabled", hash)
                .map(row -> new CredentialCache.Entry(new PlinthPrincipal(row.get("username", String.class),
                        Set.of(row.get("roles", String[].class)), PlinthPrincipal.Kind.SESSION,
                        row.get("id", UUID.class)), row.get("expires_at", OffsetDateTime.class),
                        row.get("csrf_token", String.class))));
    }

    void end(String token) {
        String hash = Tokens.hash(token);
        db.execute("delete from plinth_session where token_hash = ?", hash);
        cache.forget(hash);
    }

    /** The session token a request's cookie carries, if any. */
    Optional<String> tokenOf(jakarta.servlet.http.HttpServletRequest request) {
        jakarta.servlet.http.Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (jakarta.servlet.http.Cookie cookie : cookies) {
                if (cookie.getName().equals(settings.cookieName()) && !cookie.getValue().isBlank()) {
                    return Optional.of(cookie.getValue());
                }
            }
        }
        return Optional.empty();
    }

    String cookieName() {
        return settings.cookieName();
    }

    java.time.Duration timeout() {
        return settings.timeout();
    }
}
