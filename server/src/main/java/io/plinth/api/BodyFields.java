package io.plinth.api;

import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads the members of a small JSON object body (logins, users, keys), collecting every problem and refusing unknown
 * members, then failing once with VALIDATION_ERROR naming them all.
 */
final class BodyFields {

    private final JsonNode body;
    private final List<FieldProblem> problems = new ArrayList<>();

    BodyFields(JsonNode body, Set<String> known) {
        this.body = body;
        for (Map.Entry<String, JsonNode> member : body.properties()) {
            if (!known.contains(member.getKey())) {
                problems.add(new FieldProblem(member.getKey(), "is not expected here; expected: "
                        + String.join(", ", known.stream().sorted().toList())));
            }
        }
    }

    boolean has(String name) {
        return body.has(name) && !body.get(name).isNull();
    }

    String string(String name, boolean required) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(new FieldProblem(name, "is required"));
            }
            return null;
        }
        if (!value.isString()) {
            problems.add(new FieldProblem(name, "must be a string"));
            return null;
        }
        return value.stringValue();
    }

    Boolean bool(String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            problems.add(new FieldProblem(name, "must be true or false"));
            return null;
        }
        return value.booleanValue();
    }

    List<String> strings(String name, int max) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray() || value.size() > max) {
            problems.add(new FieldProblem(name, "must be an array of at most " + max + " strings"));
            return null;
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isString()) {
                problems.add(new FieldProblem(name, "must hold only strings"));
                return null;
            }
            strings.add(item.stringValue());
        }
        return strings;
    }

    OffsetDateTime timestamp(String name) {
        String text = string(name, false);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(name, "must be an ISO 8601 timestamp with offset, e.g. 2027-01-31T00:00:00Z"));
            return null;
        }
    }

    /** Adds a problem found by the caller's own check. */
    void problem(String name, String message) {
        problems.add(new FieldProblem(name, message));
    }

    /** An object of string values, e.g. custom headers; null when absent. */
    Map<String, String> stringMap(String name, int max) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject() || value.size() > max) {
            problems.add(new FieldProblem(name, "must be an object of at most " + max + " string values"));
            return null;
        }
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : value.properties()) {
            if (!member.getValue().isString()) {
                problems.add(new FieldProblem(name, "must hold only string values"));
                return null;
            }
            map.put(member.getKey(), member.getValue().stringValue());
        }
        return map;
    }

    /** Fails with every problem found so far. */
    void check(String what) {
        if (!problems.isEmpty()) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, what + " is not valid: " + problems.getFirst().field()
                    + " " + problems.getFirst().message() + ".", problems);
        }
    }
}
