/**
 * Every change as an event on an SQS queue, never lost: {@link io.plinth.events.OutboxWriter} writes the event into
 * the outbox table inside the change's transaction; {@link io.plinth.events.OutboxRelay} sends committed events to SQS
 * (woken by PostgreSQL NOTIFY, one active relay per database, retrying with backoff while SQS is away) and marks them
 * sent; {@link io.plinth.events.EventLog} reads a record's history and lets operators pause, resume and re-publish.
 * Depends on definition, record, query (the change journal port), error and observability.
 */
package io.plinth.events;
