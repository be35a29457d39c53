package io.plinth.definition;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a role may do with a resource's records; {@code read} covers get, list, includes and a record's events. */
public enum Action {
    READ, CREATE, UPDATE, DELETE, TRANSITION;

    /** The name used in YAML and in the API: lower case. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action with this YAML name. */
    public static Optional<Action> fromYamlName(String name) {
        return Arrays.stream(values()).filter(a -> a.yamlName().equals(name)).findFirst();
    }

    /** Every YAML name, for messages. */
    public static String yamlNames() {
        return Arrays.stream(values()).map(Action::yamlName).collect(Collectors.joining(", "));
    }
}
