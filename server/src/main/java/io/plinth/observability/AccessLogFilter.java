package io.plinth.observability;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * One structured log line per request (logger {@code plinth.access}): method, route template (never the raw path, which
 * may hold ids or hostile text), status and duration. It runs inside the correlation filter, so the line carries the
 * correlation ID.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class AccessLogFilter extends OncePerRequestFilter {

    private static final Logger accessLog = LoggerFactory.getLogger("plinth.access");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (accessLog.isInfoEnabled()) {
                Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
                double durationMs = (System.nanoTime() - started) / 1_000_000.0;
                String routeText = route == null ? "unmatched" : route.toString();
                accessLog.atInfo()
                        .addKeyValue("http.method", request.getMethod())
                        .addKeyValue("http.route", routeText)
                        .addKeyValue("http.status", response.getStatus())
                        .addKeyValue("durationMs", Math.round(durationMs * 1000) / 1000.0)
                        .log("{} {} {} {}ms", request.getMethod(), routeText, response.getStatus(),
                                String.format(java.util.Locale.ROOT, "%.3f", durationMs));
            }
        }
    }
}
