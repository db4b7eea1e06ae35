-- MLflow's run inputs (runs/log-inputs): datasets kept per experiment, one row per (name, digest) as MLflow's store
-- deduplicates them; a run's inputs (a dataset at most once per run) and each input's tags. MLflow's limits: name 500,
-- digest 36, source type 36 (its column), source 65,535, schema 1,048,575, profile 16,777,215 characters; input tag
-- keys 255, values 500.
CREATE TABLE dataset (
    id             BIGSERIAL PRIMARY KEY,
    experiment_id  BIGINT        NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    name           VARCHAR(500)  NOT NULL,
    digest         VARCHAR(36)   NOT NULL,
    source_type    VARCHAR(36)   NOT NULL,
    source         TEXT          NOT NULL,
    schema         TEXT,
    profile        TEXT,
    UNIQUE (experiment_id, name, digest)
);

CREATE TABLE run_input (
    id          BIGSERIAL PRIMARY KEY,
    run_id      VARCHAR(64)  NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    dataset_id  BIGINT       NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    UNIQUE (run_id, dataset_id)
);

CREATE TABLE run_input_tag (
    input_id  BIGINT        NOT NULL REFERENCES run_input (id) ON DELETE CASCADE,
    key       VARCHAR(255)  NOT NULL,
    value     VARCHAR(500)  NOT NULL,
    PRIMARY KEY (input_id, key)
);
