package io.plinth.security;

import io.plinth.definition.Action;
import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.definition.RoleDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Decides from the declared roles what a principal may do with a resource. Deny by default: an action is allowed
 * when one of the principal's roles grants it. With several granting roles the most open rule wins: a field is hidden
 * (or read-only) only when every granting role hides it, rows are limited to the principal's own only when every
 * granting role says so, and transitions are the union. The built-in {@code admin} may do everything. Without
 * credentials, only reading a resource declared {@code publicRead} is allowed.
 */
@Component
public class AccessPolicy {

    private static final Set<Action> ALL = EnumSet.allOf(Action.class);
    private final ResourceCatalog catalog;

    AccessPolicy(ResourceCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * What the principal may do with the resource, when it may perform this action; otherwise 401 UNAUTHENTICATED for
     * a caller without credentials and 403 FORBIDDEN for one whose roles do not grant it.
     */
    public ResourceAccess require(PlinthPrincipal principal, ResourceDefinition resource, Action action) {
        ResourceAccess access = accessTo(principal, resource);
        if (access.allows(action)) {
            return access;
        }
        if (principal.isAnonymous()) {
            throw new PlinthException(ErrorCode.UNAUTHENTICATED, "Reading or changing " + resource.path()
                    + " needs credentials: log in, or send an API key or a bearer token.");
        }
        throw new PlinthException(ErrorCode.FORBIDDEN, "Your roles do not allow " + action.yamlName() + " on "
                + resource.name() + ".");
    }

    /** Refuses a write that names fields the principal may not write: 403 FORBIDDEN naming each. */
    public void checkWritable(ResourceAccess access, java.util.Collection<String> fieldsWritten) {
        List<FieldProblem> refused = fieldsWritten.stream().filter(access.readOnlyFields()::contains).sorted()
                .map(field -> new FieldProblem(field, "your roles may not write this field")).toList();
        if (!refused.isEmpty()) {
            throw new PlinthException(ErrorCode.FORBIDDEN, "Your roles may not write "
                    + String.join(", ", refused.stream().map(FieldProblem::field).toList()) + ".", refused);
        }
    }

    /** Everything the principal may do with the resource (possibly nothing). */
    public ResourceAccess accessTo(PlinthPrincipal principal, ResourceDefinition resource) {
        if (principal.isAdmin()) {
            return new ResourceAccess(principal, ALL, Set.of(), Set.of(), false, null);
        }
        Set<Action> actions = EnumSet.noneOf(Action.class);
        Set<String> hidden = null;
        Set<String> readOnly = null;
        boolean ownOnly = true;
        boolean anyGrant = false;
        Set<String> transitions = new HashSet<>();
        boolean anyTransition = false;
        for (String roleName : principal.roles()) {
            RoleDefinition.Grant grant = catalog.role(roleName).flatMap(role -> role.grantFor(resource.name()))
                    .orElse(null);
            if (grant == null || grant.actions().isEmpty()) {
                continue;
            }
            anyGrant = true;
            actions.addAll(grant.actions());
            hidden = intersect(hidden, grant.hiddenFields());
            readOnly = intersect(readOnly, grant.readOnlyFields());
            ownOnly &= grant.ownRowsOnly();
            if (grant.actions().contains(Action.TRANSITION)) {
                anyTransition |= grant.transitions().isEmpty();
                transitions.addAll(grant.transitions());
            }
        }
        if (resource.publicRead() && !actions.contains(Action.READ)) {
            actions.add(Action.READ);
            hidden = Set.of();
            ownOnly = false;
        }
        return new ResourceAccess(principal, actions, hidden == null ? Set.of() : hidden,
                readOnly == null ? Set.of() : readOnly, anyGrant && ownOnly, anyTransition ? null : transitions);
    }

    /**
     * The resources whose rows this principal sees only when it created them ({@code rows: own}), each with the owner
     * name to compare {@code createdBy} with; empty for admins and for roles without row rules.
     */
    public Map<String, String> ownRowsOf(PlinthPrincipal principal) {
        if (principal.isAdmin()) {
            return Map.of();
        }
        Map<String, String> owners = new LinkedHashMap<>();
        for (ResourceDefinition resource : catalog.all()) {
            String owner = accessTo(principal, resource).owner();
            if (owner != null) {
                owners.put(resource.name(), owner);
            }
        }
        return owners;
    }

    /** For each resource the principal may do anything with, the actions allowed: what the web app offers. */
    public Map<String, ResourceAccess> accessToAll(PlinthPrincipal principal) {
        Map<String, ResourceAccess> all = new LinkedHashMap<>();
        for (ResourceDefinition resource : catalog.all()) {
            ResourceAccess access = accessTo(principal, resource);
            if (!access.actions().isEmpty()) {
                all.put(resource.name(), access);
            }
        }
        return all;
    }

    private static Set<String> intersect(Set<String> sofar, Set<String> next) {
        if (sofar == null) {
            return new HashSet<>(next);
        }
        sofar.retainAll(next);
        return sofar;
    }
}
