package io.plinth.error;

import java.util.List;

/** A failure with a client-visible code, a readable sentence and, where it applies, per-field details. */
public class PlinthException extends RuntimeException {

    private final ErrorCode code;
    private final List<FieldProblem> details;

    public PlinthException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public PlinthException(ErrorCode code, String message, List<FieldProblem> details) {
        this(code, message, details, null);
    }

    public PlinthException(ErrorCode code, String message, List<FieldProblem> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.details = List.copyOf(details);
    }

    /** The client-visible code. */
    public ErrorCode code() {
        return code;
    }

    /** Per-field problems; empty when the error is not about particular fields. */
    public List<FieldProblem> details() {
        return details;
    }
}
