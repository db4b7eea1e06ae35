-- Runs, their stage executions, params, metrics, tags and artifacts, and the model registry.
-- Sequences step by 50: Hibernate's pooled id generator hands out 50 ids per call.

CREATE SEQUENCE experiment_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE experiment (
    id          BIGINT PRIMARY KEY,
    name        VARCHAR(64)              NOT NULL UNIQUE,
    created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE TABLE run (
    id             VARCHAR(64) PRIMARY KEY,
    experiment_id  BIGINT                   NOT NULL REFERENCES experiment (id),
    name           VARCHAR(64)              NOT NULL,
    status         VARCHAR(16)              NOT NULL,
    spec           TEXT                     NOT NULL,
    error          TEXT,
    serving_url    VARCHAR(2048),
    created_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    finished_at    TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX run_created_at_idx ON run (created_at DESC, id);
CREATE INDEX run_status_idx ON run (status);

CREATE SEQUENCE stage_execution_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE stage_execution (
    id              BIGINT PRIMARY KEY,
    run_id          VARCHAR(64)  NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    stage           VARCHAR(32)  NOT NULL,
    attempt         INTEGER      NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    started_at      TIMESTAMP(6) WITH TIME ZONE,
    finished_at     TIMESTAMP(6) WITH TIME ZONE,
    error           TEXT,
    progress_done   INTEGER,
    progress_total  INTEGER,
    CONSTRAINT stage_execution_key UNIQUE (run_id, stage, attempt)
);

CREATE SEQUENCE run_param_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE run_param (
    id      BIGINT PRIMARY KEY,
    run_id  VARCHAR(64)  NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    key     VARCHAR(250) NOT NULL,
    value   TEXT         NOT NULL,
    CONSTRAINT run_param_key UNIQUE (run_id, key)
);

-- A metric's history: several values per key, ordered by step then timestamp (epoch milliseconds, as MLflow).
CREATE SEQUENCE run_metric_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE run_metric (
    id            BIGINT PRIMARY KEY,
    run_id        VARCHAR(64)      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    key           VARCHAR(250)     NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    step          BIGINT           NOT NULL,
    timestamp_ms  BIGINT           NOT NULL,
    CONSTRAINT run_metric_key UNIQUE (run_id, key, step, timestamp_ms)
);
CREATE INDEX run_metric_history_idx ON run_metric (run_id, key, step, timestamp_ms);

CREATE SEQUENCE run_tag_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE run_tag (
    id      BIGINT PRIMARY KEY,
    run_id  VARCHAR(64)  NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    key     VARCHAR(250) NOT NULL,
    value   TEXT         NOT NULL,
    CONSTRAINT run_tag_key UNIQUE (run_id, key)
);

CREATE SEQUENCE run_artifact_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE run_artifact (
    id      BIGINT PRIMARY KEY,
    run_id  VARCHAR(64)   NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    name    VARCHAR(512)  NOT NULL,
    uri     VARCHAR(2048) NOT NULL,
    CONSTRAINT run_artifact_key UNIQUE (run_id, name)
);

CREATE SEQUENCE registered_model_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE registered_model (
    id           BIGINT PRIMARY KEY,
    name         VARCHAR(64)  NOT NULL UNIQUE,
    description  TEXT,
    created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE SEQUENCE model_version_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE model_version (
    id            BIGINT PRIMARY KEY,
    model_id      BIGINT        NOT NULL REFERENCES registered_model (id) ON DELETE CASCADE,
    version       INTEGER       NOT NULL,
    run_id        VARCHAR(64)   NOT NULL,
    attempt       INTEGER       NOT NULL,
    artifact_uri  VARCHAR(2048) NOT NULL,
    status        VARCHAR(16)   NOT NULL,
    created_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT model_version_number UNIQUE (model_id, version),
    CONSTRAINT model_version_source UNIQUE (model_id, run_id, attempt)
);

CREATE SEQUENCE model_alias_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE model_alias (
    id        BIGINT PRIMARY KEY,
    model_id  BIGINT      NOT NULL REFERENCES registered_model (id) ON DELETE CASCADE,
    alias     VARCHAR(64) NOT NULL,
    version   INTEGER     NOT NULL,
    CONSTRAINT model_alias_key UNIQUE (model_id, alias),
    CONSTRAINT model_alias_version FOREIGN KEY (model_id, version) REFERENCES model_version (model_id, version)
);
