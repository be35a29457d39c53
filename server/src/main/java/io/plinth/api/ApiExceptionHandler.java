package io.plinth.api;

import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Routes every exception raised while handling a request to {@link ErrorResponses}. */
@RestControllerAdvice
class ApiExceptionHandler {

    private final ErrorResponses responses;

    ApiExceptionHandler(ErrorResponses responses) {
        this.responses = responses;
    }

    @ExceptionHandler(PlinthException.class)
    ResponseEntity<ErrorBody> plinth(PlinthException e, HttpServletRequest request) {
        return responses.of(e, request);
    }

    /** Tomcat refuses query strings it cannot decode (an empty parameter name, bad %-escapes) when they are read. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ErrorBody> unreadableParameters(InvalidParameterException e, HttpServletRequest request) {
        return responses.of(ErrorCode.MALFORMED_REQUEST, "The query string cannot be read: every parameter needs a "
                + "name and valid percent-encoding.", List.of(), org.springframework.http.HttpHeaders.EMPTY, request);
    }

    /** Spring Security's firewall refuses hostile names and characters (a NUL in a parameter name) when read. */
    @ExceptionHandler(org.springframework.security.web.firewall.RequestRejectedException.class)
    ResponseEntity<ErrorBody> rejected(Exception e, HttpServletRequest request) {
        return responses.of(ErrorCode.MALFORMED_REQUEST, "The request contains characters or names that are not "
                + "accepted.", List.of(), org.springframework.http.HttpHeaders.EMPTY, request);
    }

    /**
     * Spring MVC's own errors (unknown route, wrong method, media types) carry their status and headers; anything else
     * is unexpected.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> other(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse error) {
            ErrorCode code = ErrorResponses.codeOf(error.getStatusCode());
            if (code != ErrorCode.INTERNAL_ERROR) {
                return responses.of(code, ErrorResponses.defaultMessage(code), List.of(), error.getHeaders(), request);
            }
        }
        return responses.internal(e, request);
    }
}
