package io.plinth.security;

import io.plinth.definition.Action;
import java.util.Set;

/**
 * What a principal may do with one resource, once an action is allowed: the fields it may not see or write, whether it
 * is limited to the records it created, and the states it may move records to.
 *
 * @param principal      who asks
 * @param actions        every action allowed on the resource
 * @param hiddenFields   fields left out of everything this principal reads
 * @param readOnlyFields fields this principal may not write
 * @param ownRowsOnly    whether only records with {@code createdBy} equal to the principal's name are visible
 * @param transitions    the states a transition may go to, or null for any the lifecycle allows
 */
public record ResourceAccess(PlinthPrincipal principal, Set<Action> actions, Set<String> hiddenFields,
                             Set<String> readOnlyFields, boolean ownRowsOnly, Set<String> transitions) {

    public ResourceAccess {
        actions = Set.copyOf(actions);
        hiddenFields = Set.copyOf(hiddenFields);
        readOnlyFields = Set.copyOf(readOnlyFields);
        transitions = transitions == null ? null : Set.copyOf(transitions);
    }

    /** Whether the action is allowed. */
    public boolean allows(Action action) {
        return actions.contains(action);
    }

    /** Whether a transition to this state is allowed (the lifecycle decides separately whether it is possible). */
    public boolean allowsTransitionTo(String state) {
        return actions.contains(Action.TRANSITION) && (transitions == null || transitions.contains(state));
    }

    /** The owner to restrict rows to, or null when every row is visible. */
    public String owner() {
        return ownRowsOnly ? principal.name() : null;
    }
}
