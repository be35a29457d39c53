-- Idempotency-Key records: one row per (scope, key), holding the request's fingerprint and, once the request
-- succeeded, its response. The row is written in the same transaction as the change it guards, so a key is never
-- recorded for a change that did not commit, and a racing duplicate waits on the primary key until the first commits.
CREATE TABLE plinth_idempotency_key (
    scope            VARCHAR(200) NOT NULL,
    idempotency_key  VARCHAR(255) NOT NULL,
    request_hash     CHAR(64)     NOT NULL,
    response_status  INTEGER,
    response_headers TEXT,
    response_body    TEXT,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    PRIMARY KEY (scope, idempotency_key)
);

CREATE INDEX idx_plinth_idempotency_key_created_at ON plinth_idempotency_key (created_at);
