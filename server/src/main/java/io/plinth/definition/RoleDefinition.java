package io.plinth.definition;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A declared role: the actions it grants on resources, with field and row rules. Nothing is allowed unless a grant
 * allows it; the built-in role {@value #ADMIN} may do everything, including administration.
 *
 * @param name        the role name, as held by users, API keys and token claims
 * @param description free text, or null
 * @param grants      per resource (or {@code *} for every resource), in declaration order
 */
public record RoleDefinition(String name, String description, List<Grant> grants) {

    /** The built-in role that may do everything; it cannot be declared. */
    public static final String ADMIN = "admin";
    /** The resource name of a grant that applies to every resource. */
    public static final String EVERY_RESOURCE = "*";

    public RoleDefinition {
        grants = List.copyOf(grants);
    }

    /**
     * What a role may do with one resource (or with every resource, {@code *}).
     *
     * @param resource       a resource name, or {@code *}
     * @param actions        the allowed actions
     * @param transitions    the states a transition may go to; empty means every state the lifecycle allows
     * @param hiddenFields   fields left out of what this role reads (responses, lists, includes, events views)
     * @param readOnlyFields fields this role may not write: a write naming them is refused with 403
     * @param ownRowsOnly    whether the role sees and changes only records it created ({@code rows: own})
     */
    public record Grant(String resource, Set<Action> actions, Set<String> transitions, Set<String> hiddenFields,
                        Set<String> readOnlyFields, boolean ownRowsOnly) {
        public Grant {
            actions = Set.copyOf(actions);
            transitions = Set.copyOf(transitions);
            hiddenFields = Set.copyOf(hiddenFields);
            readOnlyFields = Set.copyOf(readOnlyFields);
        }
    }

    /** The grant for this resource: its own if declared, else the role's {@code *} grant. */
    public Optional<Grant> grantFor(String resource) {
        return grants.stream().filter(g -> g.resource().equals(resource)).findFirst()
                .or(() -> grants.stream().filter(g -> g.resource().equals(EVERY_RESOURCE)).findFirst());
    }
}
