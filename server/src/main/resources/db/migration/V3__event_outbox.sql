-- The transactional outbox and event history: one row per change, written in the change's own transaction.
-- Rows with sent_at NULL are waiting for the relay; sent rows stay as the records' history until the retention ends.
CREATE TABLE plinth_outbox (
    position       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id       UUID         NOT NULL UNIQUE,
    resource       VARCHAR(63)  NOT NULL,
    record_id      UUID         NOT NULL,
    record_version BIGINT       NOT NULL,
    event_type     VARCHAR(100) NOT NULL,
    correlation_id VARCHAR(128),
    body           TEXT         NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    sent_at        TIMESTAMPTZ,
    attempts       INTEGER      NOT NULL DEFAULT 0,
    last_error     VARCHAR(1000)
);

-- The relay's work list stays small however long the history grows.
CREATE INDEX idx_plinth_outbox_unsent ON plinth_outbox (position) WHERE sent_at IS NULL;
-- A record's history, newest first.
CREATE INDEX idx_plinth_outbox_record ON plinth_outbox (resource, record_id, position);
-- Pruning by age.
CREATE INDEX idx_plinth_outbox_sent_at ON plinth_outbox (sent_at) WHERE sent_at IS NOT NULL;

-- Wake the relay when events commit: one NOTIFY per inserting statement, delivered by PostgreSQL only on commit.
CREATE FUNCTION plinth_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('plinth_outbox', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER plinth_outbox_notify AFTER INSERT ON plinth_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION plinth_outbox_notify();

-- Cluster-wide relay switches (one row).
CREATE TABLE plinth_relay_state (
    id         INTEGER     PRIMARY KEY CHECK (id = 1),
    paused     BOOLEAN     NOT NULL DEFAULT FALSE,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
INSERT INTO plinth_relay_state (id) VALUES (1);
