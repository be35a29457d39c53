package io.plinth.security;

import io.plinth.definition.RoleDefinition;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, however they authenticated.
 *
 * @param name   the name recorded as {@code createdBy}, {@code updatedBy} and an event's {@code principal}: a user's
 *               username, or {@code oidc:<claim>} for a token; {@code anonymous} without credentials
 * @param roles  the roles held
 * @param kind   how the caller authenticated
 * @param userId the local user, or null for tokens and anonymous callers
 */
public record PlinthPrincipal(String name, Set<String> roles, Kind kind, UUID userId) {

    /** How a caller authenticated. */
    public enum Kind { SESSION, API_KEY, TOKEN, ANONYMOUS }

    /** The caller without credentials. */
    public static final PlinthPrincipal ANONYMOUS = new PlinthPrincipal("anonymous", Set.of(), Kind.ANONYMOUS, null);

    public PlinthPrincipal {
        roles = Set.copyOf(roles);
    }

    /** Whether the caller holds the built-in admin role. */
    public boolean isAdmin() {
        return roles.contains(RoleDefinition.ADMIN);
    }

    /** Whether the caller presented no credentials. */
    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }
}
