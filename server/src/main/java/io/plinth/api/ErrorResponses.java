package io.plinth.api;

import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import io.plinth.observability.CorrelationId;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The single place where errors become HTTP responses: code to status, the body, and the headers that go with it
 * (Allow, Accept, Retry-After). The body is always JSON, whatever the client said it accepts, so that no error ever
 * turns into an HTML page or an empty response.
 */
@Component
class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    /** Seconds a client should wait before retrying after SERVICE_UNAVAILABLE. */
    static final int RETRY_AFTER_SECONDS = 2;
    /** Seconds a client should wait before retrying a write refused by maintenance. */
    static final int MAINTENANCE_RETRY_AFTER_SECONDS = 60;

    /** The HTTP status of each error code. */
    static HttpStatus statusOf(ErrorCode code) {
        return switch (code) {
            case VALIDATION_ERROR, MALFORMED_REQUEST -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            case METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            case NOT_ACCEPTABLE -> HttpStatus.NOT_ACCEPTABLE;
            case CONFLICT, INVALID_TRANSITION, RECORD_READ_ONLY -> HttpStatus.CONFLICT;
            case PRECONDITION_FAILED -> HttpStatus.PRECONDITION_FAILED;
            case PRECONDITION_REQUIRED -> HttpStatus.PRECONDITION_REQUIRED;
            case IDEMPOTENCY_KEY_REUSED -> HttpStatus.UNPROCESSABLE_CONTENT;
            case PAYLOAD_TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case SERVICE_UNAVAILABLE, MAINTENANCE -> HttpStatus.SERVICE_UNAVAILABLE;
            case INTERNAL_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** The error code for a status raised by the web framework or the servlet container. */
    static ErrorCode codeOf(HttpStatusCode status) {
        return switch (status.value()) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 409 -> ErrorCode.CONFLICT;
            case 412 -> ErrorCode.PRECONDITION_FAILED;
            case 428 -> ErrorCode.PRECONDITION_REQUIRED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> status.is4xxClientError() ? ErrorCode.MALFORMED_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    }

    /** The sentence used when the framework raised the error and has nothing safe to say. */
    static String defaultMessage(ErrorCode code) {
        return switch (code) {
            case VALIDATION_ERROR -> "The request is not valid.";
            case MALFORMED_REQUEST -> "The request cannot be read.";
            case NOT_FOUND -> "Nothing is served at this address.";
            case UNAUTHENTICATED -> "This request needs valid credentials: a session, an API key or a bearer token.";
            case FORBIDDEN -> "Your roles do not allow this.";
            case RATE_LIMITED -> "Too many requests; retry after the time Retry-After gives.";
            case METHOD_NOT_ALLOWED -> "This address does not support this HTTP method.";
            case NOT_ACCEPTABLE -> "This API answers with application/json only.";
            case CONFLICT -> "The request conflicts with stored data.";
            case INVALID_TRANSITION -> "The record's lifecycle does not allow this transition.";
            case RECORD_READ_ONLY -> "The record is in a read-only state.";
            case PRECONDITION_FAILED -> "The record has changed since the version If-Match names.";
            case PRECONDITION_REQUIRED -> "This write needs an If-Match header with the record's ETag.";
            case IDEMPOTENCY_KEY_REUSED -> "This Idempotency-Key was used with a different request.";
            case PAYLOAD_TOO_LARGE -> "The request body is too large.";
            case UNSUPPORTED_MEDIA_TYPE -> "The request body must be application/json.";
            case SERVICE_UNAVAILABLE -> "The service is temporarily unavailable; retry shortly.";
            case MAINTENANCE -> "This resource is in maintenance: it can be read but not changed for now.";
            case INTERNAL_ERROR -> "Something went wrong inside Plinth; the correlation ID finds it in the log.";
        };
    }

    ResponseEntity<ErrorBody> of(PlinthException e, HttpServletRequest request) {
        if (e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
            log.warn("Answering 503: {}", e.getMessage(), e.getCause());
        }
        HttpHeaders headers = new HttpHeaders();
        if (e.retryAfterSeconds() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        return of(e.code(), e.getMessage(), e.details(), headers, request);
    }

    ResponseEntity<ErrorBody> of(ErrorCode code, String message, List<FieldProblem> details, HttpHeaders headers,
                                 HttpServletRequest request) {
        HttpHeaders responseHeaders = new HttpHeaders();
        responseHeaders.addAll(headers);
        if (code == ErrorCode.SERVICE_UNAVAILABLE) {
            responseHeaders.set(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        } else if (code == ErrorCode.UNAUTHENTICATED) {
            responseHeaders.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"plinth\"");
        } else if (code == ErrorCode.RATE_LIMITED && !responseHeaders.containsHeader(HttpHeaders.RETRY_AFTER)) {
            responseHeaders.set(HttpHeaders.RETRY_AFTER, "1");
        } else if (code == ErrorCode.MAINTENANCE) {
            responseHeaders.set(HttpHeaders.RETRY_AFTER, Integer.toString(MAINTENANCE_RETRY_AFTER_SECONDS));
        }
        return ResponseEntity.status(statusOf(code))
                .headers(responseHeaders)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorBody(message, code.name(), details, correlationId(request)));
    }

    /** A failure nobody anticipated: logged in full, answered without a word about its inside. */
    ResponseEntity<ErrorBody> internal(Throwable failure, HttpServletRequest request) {
        log.error("Unexpected failure handling {} {}", request.getMethod(), request.getRequestURI(), failure);
        return of(ErrorCode.INTERNAL_ERROR, defaultMessage(ErrorCode.INTERNAL_ERROR), List.of(), HttpHeaders.EMPTY, request);
    }

    private static String correlationId(HttpServletRequest request) {
        Object value = request.getAttribute(CorrelationId.REQUEST_ATTRIBUTE);
        return value != null ? value.toString() : CorrelationId.generate();
    }
}
