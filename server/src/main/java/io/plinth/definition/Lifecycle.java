package io.plinth.definition;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The states a record of a resource moves through, where it starts and which moves are allowed.
 *
 * @param states      every state, in declaration order
 * @param initial     the state of a new record
 * @param transitions for each state, the states it may move to
 */
public record Lifecycle(List<String> states, String initial, Map<String, Set<String>> transitions) {

    /** Longest state name: the status column is VARCHAR(20), as in the design template. */
    public static final int MAX_STATE_LENGTH = 20;

    public Lifecycle {
        states = List.copyOf(states);
        transitions = Map.copyOf(transitions);
    }

    /** DRAFT -> ACTIVE -> ARCHIVED, and DRAFT -> ARCHIVED; new records start in DRAFT. */
    public static Lifecycle standard() {
        return new Lifecycle(
                List.of("DRAFT", "ACTIVE", "ARCHIVED"),
                "DRAFT",
                Map.of("DRAFT", Set.of("ACTIVE", "ARCHIVED"), "ACTIVE", Set.of("ARCHIVED"), "ARCHIVED", Set.of()));
    }

    /** Whether a record in state {@code from} may move to state {@code to}. */
    public boolean allows(String from, String to) {
        return transitions.getOrDefault(from, Set.of()).contains(to);
    }
}
