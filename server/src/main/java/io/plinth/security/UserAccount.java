package io.plinth.security;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A user as administrators see it; never with its password hash.
 *
 * @param id          its id
 * @param username    its login name, unique and unchanging
 * @param roles       the roles it holds
 * @param disabled    whether it may not authenticate at all
 * @param createdAt   when it was created
 * @param updatedAt   when it last changed
 * @param lastLoginAt its last successful web login, or null
 */
public record UserAccount(UUID id, String username, List<String> roles, boolean disabled, OffsetDateTime createdAt,
                          OffsetDateTime updatedAt, OffsetDateTime lastLoginAt) {
    public UserAccount {
        roles = List.copyOf(roles);
    }
}
