-- run_metric_history_idx had the columns of the unique key run_metric_key, whose index serves the same reads (a
-- metric's history by step then timestamp, a run's keys); every point written paid for both.
DROP INDEX run_metric_history_idx;
