package io.plinth.definition;

import java.util.List;

/** The definitions cannot be used; the message lists every problem found, each with file, resource and field. */
public final class DefinitionException extends RuntimeException {

    private final List<String> problems;

    public DefinitionException(String source, List<String> problems) {
        super("Invalid resource definitions in " + source + " (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as one line: {@code file:line: resource 'r', field 'f': what is wrong}. */
    public List<String> problems() {
        return problems;
    }
}
