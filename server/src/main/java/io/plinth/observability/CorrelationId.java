package io.plinth.observability;

import java.util.UUID;
import java.util.regex.Pattern;

/** The correlation ID of a request: where it is kept and what counts as a sane value from a client. */
public final class CorrelationId {

    /** The request and response header. */
    public static final String HEADER = "X-Correlation-ID";
    /** The logging-context (MDC) key, a top-level member of every JSON log line. */
    public static final String MDC_KEY = "correlationId";
    /** The request attribute holding it, readable after the logging context is cleared (error dispatches). */
    public static final String REQUEST_ATTRIBUTE = CorrelationId.class.getName();

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}");

    private CorrelationId() {
    }

    /** The client's value when it is sane (1 to 128 visible, log-safe characters), else a new random one. */
    public static String acceptOrGenerate(String fromClient) {
        return fromClient != null && SANE.matcher(fromClient).matches() ? fromClient : generate();
    }

    /** A new random correlation ID. */
    public static String generate() {
        return UUID.randomUUID().toString();
    }
}
