-- What MLflow's model registry API needs beside the pipeline's registrations, over the same tables (one store,
-- two APIs): MLflow's name limits (models 256 characters, aliases 255), model and version tags, a version's stage,
-- description and run link, versions created through MLflow without a pipeline run attempt (run_id optional),
-- and a per-model version counter, so a deleted version's number is never handed out again (as MLflow).
ALTER TABLE registered_model ALTER COLUMN name TYPE VARCHAR(256);
ALTER TABLE registered_model ADD COLUMN last_version INTEGER NOT NULL DEFAULT 0;
UPDATE registered_model m
   SET last_version = coalesce((SELECT max(v.version) FROM model_version v WHERE v.model_id = m.id), 0);

ALTER TABLE model_version ALTER COLUMN run_id DROP NOT NULL;
ALTER TABLE model_version ALTER COLUMN attempt DROP NOT NULL;
ALTER TABLE model_version ADD COLUMN current_stage VARCHAR(20) NOT NULL DEFAULT 'None';
ALTER TABLE model_version ADD COLUMN description TEXT;
ALTER TABLE model_version ADD COLUMN run_link VARCHAR(2048);
ALTER TABLE model_version ADD COLUMN last_updated_at TIMESTAMP(6) WITH TIME ZONE;
UPDATE model_version SET last_updated_at = created_at;
ALTER TABLE model_version ALTER COLUMN last_updated_at SET NOT NULL;

ALTER TABLE model_alias ALTER COLUMN alias TYPE VARCHAR(255);

CREATE SEQUENCE registered_model_tag_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE registered_model_tag (
    id        BIGINT PRIMARY KEY,
    model_id  BIGINT       NOT NULL REFERENCES registered_model (id) ON DELETE CASCADE,
    key       VARCHAR(250) NOT NULL,
    value     TEXT         NOT NULL,
    CONSTRAINT registered_model_tag_key UNIQUE (model_id, key)
);

CREATE SEQUENCE model_version_tag_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE model_version_tag (
    id          BIGINT PRIMARY KEY,
    version_id  BIGINT       NOT NULL REFERENCES model_version (id) ON DELETE CASCADE,
    key         VARCHAR(250) NOT NULL,
    value       TEXT         NOT NULL,
    CONSTRAINT model_version_tag_key UNIQUE (version_id, key)
);
