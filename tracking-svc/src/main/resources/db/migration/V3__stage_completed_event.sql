-- The completed event each stage execution ended with (JSON, as consumed), so a retry can re-publish it as the
-- next stage's input with attempt + 1. Executions recorded before this column existed have none.
ALTER TABLE stage_execution ADD COLUMN completed_event TEXT;
