-- The gauge mlops_last_run_accuracy reads the newest value of one metric key across runs on every refresh.
CREATE INDEX run_metric_newest_idx ON run_metric (key, timestamp_ms DESC, id DESC);
