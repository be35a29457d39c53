-- Feature flag settings. A flag without a row has its declared default. Every change is announced on the channel
-- plinth_flag, so that each instance re-reads its cache at once.
CREATE TABLE plinth_flag (
    name VARCHAR(100) PRIMARY KEY,
    enabled BOOLEAN NOT NULL,
    rollout_percent SMALLINT NOT NULL DEFAULT 100 CHECK (rollout_percent BETWEEN 0 AND 100),
    roles TEXT[] NOT NULL DEFAULT '{}',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by VARCHAR(200),
    version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1)
);

CREATE FUNCTION plinth_flag_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('plinth_flag', COALESCE(NEW.name, OLD.name));
    RETURN NULL;
END;
$$;

CREATE TRIGGER plinth_flag_changed AFTER INSERT OR UPDATE OR DELETE ON plinth_flag
    FOR EACH ROW EXECUTE FUNCTION plinth_flag_notify();
