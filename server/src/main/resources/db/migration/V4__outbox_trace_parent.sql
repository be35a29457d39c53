-- The W3C trace context of the request that made the change, sent as the SQS message attribute "traceparent" so
-- that consumers continue the request's trace.
ALTER TABLE plinth_outbox ADD COLUMN trace_parent VARCHAR(55);
