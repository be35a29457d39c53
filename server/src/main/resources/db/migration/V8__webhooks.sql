-- Webhook subscriptions (issue #6): external HTTP endpoints that receive events, signed with their own secret.
CREATE TABLE plinth_webhook (
    id UUID PRIMARY KEY,
    url TEXT NOT NULL,
    event_types TEXT[] NOT NULL,
    secret TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    headers JSONB NOT NULL DEFAULT '{}'::jsonb,
    description TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by VARCHAR(200)
);

-- One row per (subscription, event): scheduled when the dispatcher takes the event off the plinth-webhooks queue,
-- then PENDING until DELIVERED or DEAD (retries exhausted). The unique key makes a redelivered queue message harmless.
CREATE TABLE plinth_webhook_delivery (
    id UUID PRIMARY KEY,
    webhook_id UUID NOT NULL REFERENCES plinth_webhook (id) ON DELETE CASCADE,
    event_id UUID NOT NULL,
    event_type VARCHAR(200) NOT NULL,
    resource VARCHAR(100) NOT NULL,
    record_id UUID NOT NULL,
    record_version BIGINT NOT NULL,
    body TEXT NOT NULL,
    trace_parent VARCHAR(100),
    status VARCHAR(20) NOT NULL DEFAULT 'PENDING',
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    claimed_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at TIMESTAMPTZ,
    last_status INT,
    last_error TEXT,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX plinth_webhook_delivery_due ON plinth_webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX plinth_webhook_delivery_order ON plinth_webhook_delivery (webhook_id, resource, record_id, record_version)
    WHERE status = 'PENDING';
CREATE INDEX plinth_webhook_delivery_log ON plinth_webhook_delivery (webhook_id, created_at DESC, id DESC);

-- Every attempt to POST a delivery: when, the answer (or the error), how long it took.
CREATE TABLE plinth_webhook_attempt (
    id BIGSERIAL PRIMARY KEY,
    delivery_id UUID NOT NULL REFERENCES plinth_webhook_delivery (id) ON DELETE CASCADE,
    attempted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    status_code INT,
    duration_ms INT NOT NULL,
    error TEXT
);
CREATE INDEX plinth_webhook_attempt_delivery ON plinth_webhook_attempt (delivery_id, id);
