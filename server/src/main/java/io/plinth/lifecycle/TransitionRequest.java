package io.plinth.lifecycle;

import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/{resource}/{id}/transitions}.
 *
 * @param to     the target state
 * @param reason why, for the record's history and its event; may be null
 */
public record TransitionRequest(String to, String reason) {

    /** Longest reason accepted. */
    public static final int MAX_REASON_LENGTH = 1000;

    /**
     * Reads and checks a transition body: {@code to} required, {@code reason} optional, nothing else.
     *
     * @throws PlinthException VALIDATION_ERROR listing every problem
     */
    public static TransitionRequest read(JsonNode body) {
        List<FieldProblem> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : body.properties()) {
            if (!property.getKey().equals("to") && !property.getKey().equals("reason")) {
                problems.add(new FieldProblem(property.getKey(), "is not part of a transition (to, reason)"));
            }
        }
        JsonNode to = body.get("to");
        if (to == null || to.isNull()) {
            problems.add(new FieldProblem("to", "is required"));
        } else if (!to.isString()) {
            problems.add(new FieldProblem("to", "must be a string naming a state"));
        }
        JsonNode reason = body.get("reason");
        if (reason != null && !reason.isNull() && (!reason.isString()
                || reason.stringValue().codePointCount(0, reason.stringValue().length()) > MAX_REASON_LENGTH
                || reason.stringValue().indexOf('\u0000') >= 0)) {
            problems.add(new FieldProblem("reason", "must be text of at most " + MAX_REASON_LENGTH + " characters"));
        }
        if (!problems.isEmpty()) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "The transition is not valid.", problems);
        }
        return new TransitionRequest(to.stringValue(), reason == null || reason.isNull() ? null : reason.stringValue());
    }
}
