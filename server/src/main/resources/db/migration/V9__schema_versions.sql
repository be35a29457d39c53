-- Schema evolution (#10): every apply of a schema plan is one schema version, with the plan it ran, so that a
-- rollback can run its down SQL. plinth_schema_history keeps one row per resource touched by a version.
CREATE TABLE plinth_schema_change (
    version         INTEGER      PRIMARY KEY CHECK (version >= 1),
    classification  VARCHAR(20)  NOT NULL,
    plan_checksum   CHAR(64)     NOT NULL,
    steps           JSONB        NOT NULL,
    up_sql          TEXT         NOT NULL,
    down_sql        TEXT         NOT NULL,
    down_statements JSONB        NOT NULL,
    reversible      BOOLEAN      NOT NULL DEFAULT true,
    applied_by      VARCHAR(255) NOT NULL,
    applied_at      TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    rolled_back_at  TIMESTAMPTZ,
    rolled_back_by  VARCHAR(255)
);

ALTER TABLE plinth_schema_history
    ADD COLUMN schema_version INTEGER REFERENCES plinth_schema_change (version),
    ADD COLUMN classification VARCHAR(20) NOT NULL DEFAULT 'safe',
    ADD COLUMN removed        BOOLEAN     NOT NULL DEFAULT false;

-- Tables created before schema plans existed: one version holding them, which cannot be rolled back (its down SQL
-- was never recorded in a reversible form).
INSERT INTO plinth_schema_change (version, classification, plan_checksum, steps, up_sql, down_sql, down_statements,
                                  reversible, applied_by, applied_at)
SELECT 1, 'safe', repeat('0', 64), '[]', string_agg(up_sql, E'\n' ORDER BY id), '', '[]', false,
       'plinth before schema plans', min(applied_at)
FROM plinth_schema_history
HAVING count(*) > 0;

UPDATE plinth_schema_history SET schema_version = 1;

ALTER TABLE plinth_schema_history ALTER COLUMN schema_version SET NOT NULL;
CREATE INDEX idx_plinth_schema_history_version ON plinth_schema_history (schema_version);
