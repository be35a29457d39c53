/**
 * Safe retries of POST requests: an {@code Idempotency-Key} is recorded with the request's fingerprint in the same
 * transaction as the change it guards, and a retry with the same key and request gets the first response again
 * instead of a second change. Keys live for {@code plinth.idempotency.ttl} (24 h by default). Depends on error only.
 */
package io.plinth.idempotency;
