-- Stands for a later Plinth release's own migration (UpgradeRollbackTest): additive, as every migration of Plinth's
-- own tables must be, so that the previous release can run against a database it has migrated.
CREATE TABLE plinth_next_release_feature (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note TEXT);
ALTER TABLE plinth_outbox ADD COLUMN next_release_note TEXT;
