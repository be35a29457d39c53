package io.plinth.api;

import io.plinth.error.FieldProblem;
import java.util.List;

/**
 * The one error shape of the API, as the design template specifies it and extended with details and correlation ID.
 *
 * @param error         one readable sentence
 * @param code          the closed {@link io.plinth.error.ErrorCode} name
 * @param details       per-field problems, possibly empty
 * @param correlationId the request's correlation ID, to find its log lines
 */
record ErrorBody(String error, String code, List<FieldProblem> details, String correlationId) {
}
