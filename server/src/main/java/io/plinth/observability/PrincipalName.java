package io.plinth.observability;

import org.slf4j.MDC;

/**
 * The name of the principal a request runs for, kept in the logging context (log field {@code principal}) by the
 * security component, so that log lines, events and audit columns name the same actor.
 */
public final class PrincipalName {

    /** The MDC key, and the log field. */
    public static final String MDC_KEY = "principal";

    private PrincipalName() {
    }

    /** The principal of the request on this thread, or null outside a request (the relay, start-up work). */
    public static String current() {
        return MDC.get(MDC_KEY);
    }
}
