-- Plinth's own record of the resource tables it created: one row per applied version of a resource's declaration.
-- The shape is Plinth's canonical description of the table; its checksum detects a changed declaration at start-up.
CREATE TABLE plinth_schema_history (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource    VARCHAR(63)  NOT NULL,
    table_name  VARCHAR(63)  NOT NULL,
    version     INTEGER      NOT NULL CHECK (version >= 1),
    checksum    CHAR(64)     NOT NULL,
    shape       TEXT         NOT NULL,
    up_sql      TEXT         NOT NULL,
    down_sql    TEXT         NOT NULL,
    applied_by  VARCHAR(255) NOT NULL,
    applied_at  TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    UNIQUE (resource, version)
);
