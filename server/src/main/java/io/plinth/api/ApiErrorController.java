package io.plinth.api;

import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's whitelabel error handling: errors raised outside Spring MVC (in filters, or by the servlet
 * container itself) are forwarded here and answered in the same JSON shape as every other error.
 */
@Hidden
@RestController
class ApiErrorController implements ErrorController {

    private final ErrorResponses responses;

    ApiErrorController(ErrorResponses responses) {
        this.responses = responses;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ErrorBody> error(HttpServletRequest request) {
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure instanceof PlinthException plinth) {
            return responses.of(plinth, request);
        }
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer value ? value : 500;
        if (failure instanceof Throwable throwable && code >= 500) {
            return responses.internal(throwable, request);
        }
        ErrorCode errorCode = ErrorResponses.codeOf(HttpStatusCode.valueOf(code < 400 ? 500 : code));
        return responses.of(errorCode, ErrorResponses.defaultMessage(errorCode), List.of(), HttpHeaders.EMPTY, request);
    }
}
