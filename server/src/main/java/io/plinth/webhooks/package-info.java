/**
 * Webhooks: subscriptions of external HTTP endpoints to event types, a dispatcher that takes events off the
 * {@code plinth-webhooks} queue and schedules one delivery per matching subscription, and workers that POST them,
 * signed, with retries, a circuit breaker and a bulkhead per endpoint, dead letters and replay (ADR-018).
 */
package io.plinth.webhooks;
