package io.plinth.definition;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The states a record of a resource moves through, where it starts, which moves are allowed, and in which states a
 * record may no longer be edited.
 *
 * @param states         every state, in declaration order
 * @param initial        the state of a new record
 * @param transitions    for each state, the states it may move to
 * @param readOnlyStates states in which a record's fields cannot be changed (it may still move on, if allowed)
 */
public record Lifecycle(List<String> states, String initial, Map<String, Set<String>> transitions,
                        Set<String> readOnlyStates) {

    /** Longest state name: the status column is VARCHAR(20), as in the design template. */
    public static final int MAX_STATE_LENGTH = 20;

    public Lifecycle {
        states = List.copyOf(states);
        transitions = Map.copyOf(transitions);
        readOnlyStates = Set.copyOf(readOnlyStates);
    }

    /** DRAFT -> ACTIVE -> ARCHIVED, and DRAFT -> ARCHIVED; new records start in DRAFT; ARCHIVED is read-only. */
    public static Lifecycle standard() {
        return new Lifecycle(
                List.of("DRAFT", "ACTIVE", "ARCHIVED"),
                "DRAFT",
                Map.of("DRAFT", Set.of("ACTIVE", "ARCHIVED"), "ACTIVE", Set.of("ARCHIVED"), "ARCHIVED", Set.of()),
                Set.of("ARCHIVED"));
    }

    /** Whether a record in state {@code from} may move to state {@code to}. */
    public boolean allows(String from, String to) {
        return transitions.getOrDefault(from, Set.of()).contains(to);
    }

    /** The states a record in {@code from} may move to, in declaration order. */
    public List<String> targetsFrom(String from) {
        Set<String> targets = transitions.getOrDefault(from, Set.of());
        return states.stream().filter(targets::contains).toList();
    }

    /** Whether a record in this state may have its fields changed. */
    public boolean isEditable(String state) {
        return !readOnlyStates.contains(state);
    }
}
