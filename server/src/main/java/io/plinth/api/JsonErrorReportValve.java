package io.plinth.api;

import io.plinth.error.ErrorCode;
import io.plinth.observability.CorrelationId;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatusCode;

/**
 * Tomcat's last-resort error page, in Plinth's error shape. Tomcat answers some requests itself, before any filter or
 * controller sees them (an undecodable or encoded-slash URL, for instance); without this valve those answers are HTML.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ErrorCode code = ErrorResponses.codeOf(HttpStatusCode.valueOf(status));
        Object fromFilter = request.getAttribute(CorrelationId.REQUEST_ATTRIBUTE);
        String correlationId = fromFilter != null ? fromFilter.toString() : CorrelationId.generate();
        // Every value here is a constant or a generated/validated id, so no JSON escaping is needed.
        String body = "{\"error\":\"" + ErrorResponses.defaultMessage(code) + "\",\"code\":\"" + code.name()
                + "\",\"details\":[],\"correlationId\":\"" + correlationId + "\"}";
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader(CorrelationId.HEADER, correlationId);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is already closed: there is nobody left to tell.
        }
    }
}
