package io.plinth.security;

import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Component;

/** API keys: {@code plk_} plus 256 random bits, stored as SHA-256; each acts as its user with the user's roles. */
@Component
public class ApiKeys {

    /** Name of the key made from {@code plinth.security.admin-api-key}. */
    static final String CONFIGURED_KEY_NAME = "configured (plinth.security.admin-api-key)";
    private static final String SELECT = "select k.*, u.username from plinth_api_key k join plinth_user u on u.id = k.user_id ";

    private final DSLContext db;
    private final CredentialCache cache;

    ApiKeys(DSLContext db, CredentialCache cache) {
        this.db = db;
        this.cache = cache;
    }

    /** Creates a key for a user; the secret is in the result and nowhere else. */
    public ApiKey.Created create(UUID userId, String name, OffsetDateTime expiresAt) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "The key needs a name.",
                    List.of(new FieldProblem("name", "must be 1-100 characters")));
        }
        if (expiresAt != null && !expiresAt.isAfter(OffsetDateTime.now())) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "The key would never work.",
                    List.of(new FieldProblem("expiresAt", "must be in the future")));
        }
        return create(userId, name, expiresAt, Tokens.API_KEY_PREFIX + Tokens.random());
    }

    private ApiKey.Created create(UUID userId, String name, OffsetDateTime expiresAt, String secret) {
        Record row = db.fetchOne("insert into plinth_api_key (user_id, name, prefix, key_hash, expires_at) "
                + "values (?, ?, ?, ?, ?::timestamptz) returning id", userId, name, secret.substring(0, 10), Tokens.hash(secret), expiresAt);
        return new ApiKey.Created(find(row.get(0, UUID.class)).orElseThrow(), secret);
    }

    /** The keys of one user, newest first. */
    public List<ApiKey> ofUser(UUID userId) {
        return db.fetch(SELECT + "where k.user_id = ? order by k.created_at desc", userId).map(ApiKeys::key);
    }

    /** Every key, newest first. */
    public List<ApiKey> all() {
        return db.fetch(SELECT + "order by k.created_at desc").map(ApiKeys::key);
    }

    /** The key with this id. */
    public Optional<ApiKey> find(UUID id) {
        return db.fetchOptional(SELECT + "where k.id = ?", id).map(ApiKeys::key);
    }

    /** Revokes a key; when {@code ownerId} is given, only a key of that user (otherwise 404). */
    public ApiKey revoke(UUID id, UUID ownerId) {
        int changed = ownerId == null
                ? db.execute("update plinth_api_key set revoked_at = coalesce(revoked_at, now()) where id = ?", id)
                : db.execute("update plinth_api_key set revoked_at = coalesce(revoked_at, now()) where id = ? "
                        + "and user_id = ?", id, ownerId);
        if (changed == 0) {
            throw new PlinthException(ErrorCode.NOT_FOUND, "No API key has the id " + id + ".");
        }
        cache.forgetAll();
        return find(id).orElseThrow();
    }

    /** The principal of a presented key, when it exists, is neither revoked nor expired, and its user is enabled. */
    Optional<PlinthPrincipal> authenticate(String secret) {
        return cache.get(Tokens.hash(secret), this::load).map(CredentialCache.Entry::principal);
    }

    private Optional<CredentialCache.Entry> load(String hash) {
        return db.fetchOptional("update plinth_api_key k set last_used_at = now() from plinth_user u "
                        + "where k.key_hash = ? and u.id = k.user_id and k.revoked_at is null and not u.disabled "
                        + "and (k.expires_at is null or k.expires_at > now()) "
                        + "returning u.id as user_id, u.username, u.roles, k.expires_at", hash)
                .map(row -> new CredentialCache.Entry(new PlinthPrincipal(row.get("username", String.class),
                        Set.of(row.get("roles", String[].class)), PlinthPrincipal.Kind.API_KEY,
                        row.get("user_id", UUID.class)), row.get("expires_at", OffsetDateTime.class), null));
    }

    /**
     * Makes the configured admin key work: stores its hash for the admin user unless stored already, and revokes a
     * configured key that is no longer the configured one.
     */
    void ensureConfigured(String secret) {
        if (!secret.startsWith(Tokens.API_KEY_PREFIX) || secret.length() < Tokens.API_KEY_PREFIX.length() + 32) {
            throw new IllegalStateException("plinth.security.admin-api-key (PLINTH_ADMIN_API_KEY) must start with "
                    + Tokens.API_KEY_PREFIX + " followed by at least 32 characters");
        }
        String hash = Tokens.hash(secret);
        db.execute("update plinth_api_key set revoked_at = now() where name = ? and key_hash <> ? and revoked_at is null",
                CONFIGURED_KEY_NAME, hash);
        Optional<UUID> admin = db.fetchOptional("select id from plinth_user where username = 'admin'")
                .map(row -> row.get(0, UUID.class));
        if (admin.isEmpty()) {
            throw new IllegalStateException("plinth.security.admin-api-key is set but there is no user named admin");
        }
        if (db.fetchOptional("select 1 from plinth_api_key where key_hash = ?", hash).isEmpty()) {
            db.execute("insert into plinth_api_key (user_id, name, prefix, key_hash) values (?, ?, ?, ?) "
                    + "on conflict (key_hash) do nothing", admin.get(), CONFIGURED_KEY_NAME,
                    secret.substring(0, 10), hash);
        }
    }

    private static ApiKey key(Record row) {
        return new ApiKey(row.get("id", UUID.class), row.get("username", String.class), row.get("name", String.class),
                row.get("prefix", String.class), row.get("created_at", OffsetDateTime.class),
                row.get("expires_at", OffsetDateTime.class), row.get("last_used_at", OffsetDateTime.class),
                row.get("revoked_at", OffsetDateTime.class));
    }
}
