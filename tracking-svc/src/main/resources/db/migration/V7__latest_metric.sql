-- The latest point of each metric of each run (MLflow's latest_metrics): the greatest step, then the latest
-- timestamp, then the greatest value. Every metric write refreshes it from run_metric, so runs/get, GET
-- /pipelines/{id} and runs/search read one row per key instead of scanning a run's points.
CREATE TABLE run_latest_metric (
    run_id        VARCHAR(64)      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    key           VARCHAR(250)     NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    step          BIGINT           NOT NULL,
    timestamp_ms  BIGINT           NOT NULL,
    PRIMARY KEY (run_id, key)
);
-- runs/search filters and orders on a metric's latest value: an index per direction of the order (the nulls of
-- runs lacking the metric sort last either way)
CREATE INDEX run_latest_metric_asc_idx ON run_latest_metric (key, value ASC NULLS LAST);
CREATE INDEX run_latest_metric_desc_idx ON run_latest_metric (key, value DESC NULLS LAST);

INSERT INTO run_latest_metric (run_id, key, value, step, timestamp_ms)
SELECT DISTINCT ON (run_id, key) run_id, key, value, step, timestamp_ms
FROM run_metric
ORDER BY run_id, key, step DESC, timestamp_ms DESC, value DESC;
