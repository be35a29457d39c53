package io.plinth.security;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An API key as its owner and administrators see it: never the secret, which is shown once at creation.
 *
 * @param id         its id, used to revoke it
 * @param username   the user it acts as
 * @param name       what it is for
 * @param prefix     the first characters of the secret, to recognise it
 * @param createdAt  when it was created
 * @param expiresAt  when it stops working, or null for never
 * @param lastUsedAt when it last authenticated a request (to within the credential cache's lifetime), or null
 * @param revokedAt  when it was revoked, or null
 */
public record ApiKey(UUID id, String username, String name, String prefix, OffsetDateTime createdAt,
                     OffsetDateTime expiresAt, OffsetDateTime lastUsedAt, OffsetDateTime revokedAt) {

    /** A key just created, with its secret: the only time the secret exists outside the caller's hands. */
    public record Created(ApiKey key, String secret) {
    }
}
