-- What the MLflow tracking API needs beside the pipeline's own runs (MLflow's limits: experiment names 500
-- characters, run names 250): lifecycle stages (delete and restore are soft), experiment tags, an artifact
-- location chosen at creation, a run's user. Runs created through the MLflow API have no pipeline spec.
ALTER TABLE experiment ALTER COLUMN name TYPE VARCHAR(500);
ALTER TABLE experiment ADD COLUMN lifecycle_stage VARCHAR(16) NOT NULL DEFAULT 'active';
ALTER TABLE experiment ADD COLUMN artifact_location VARCHAR(2048);
ALTER TABLE experiment ADD COLUMN last_updated_at TIMESTAMP(6) WITH TIME ZONE;

-- MLflow clients log to experiment "0" when they name none
INSERT INTO experiment (id, name, created_at) VALUES (0, 'Default', now()) ON CONFLICT DO NOTHING;

CREATE SEQUENCE experiment_tag_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE experiment_tag (
    id             BIGINT PRIMARY KEY,
    experiment_id  BIGINT       NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    key            VARCHAR(250) NOT NULL,
    value          TEXT         NOT NULL,
    CONSTRAINT experiment_tag_key UNIQUE (experiment_id, key)
);

ALTER TABLE run ALTER COLUMN name TYPE VARCHAR(250);
ALTER TABLE run ALTER COLUMN spec DROP NOT NULL;
ALTER TABLE run ADD COLUMN lifecycle_stage VARCHAR(16) NOT NULL DEFAULT 'active';
ALTER TABLE run ADD COLUMN user_id VARCHAR(256);
CREATE INDEX run_experiment_idx ON run (experiment_id, created_at DESC);
