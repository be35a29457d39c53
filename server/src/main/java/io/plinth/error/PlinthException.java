package io.plinth.error;

import java.util.List;

/** A failure with a client-visible code, a readable sentence and, where it applies, per-field details. */
public class PlinthException extends RuntimeException {

    private final ErrorCode code;
    private final List<FieldProblem> details;
    private final Long retryAfterSeconds;

    public PlinthException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public PlinthException(ErrorCode code, String message, List<FieldProblem> details) {
        this(code, message, details, null);
    }

    public PlinthException(ErrorCode code, String message, List<FieldProblem> details, Throwable cause) {
        this(code, message, details, cause, null);
    }

    /** A failure the client may retry after some seconds (sent as {@code Retry-After}). */
    public PlinthException(ErrorCode code, String message, List<FieldProblem> details, Throwable cause,
                           Long retryAfterSeconds) {
        super(message, cause);
        this.code = code;
        this.details = List.copyOf(details);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which a retry may succeed, or null when the error does not say. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
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
