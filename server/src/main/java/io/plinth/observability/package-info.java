/**
 * What operators see of each request: a correlation ID taken from {@code X-Correlation-ID} (or generated), put in the
 * logging context so every JSON log line carries it, echoed in the response; and one access-log line per request.
 * Depends on nothing of Plinth.
 */
package io.plinth.observability;
