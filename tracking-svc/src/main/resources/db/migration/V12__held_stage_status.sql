-- A status event (STARTED / PROGRESS / FAILED) for a run tracking has not recorded yet. A run first seen through an
-- injected completed event is recorded by the completed-topics consumer, while its next stage's STARTED comes on
-- mlops.stage.status, read by another consumer, and can be read first. The event is kept here (committed before its
-- record is acknowledged, so at-least-once holds) and applied when the run is recorded. No foreign key: the run
-- does not exist yet. Rows of runs that never appear are purged after a day.
CREATE SEQUENCE held_stage_status_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE held_stage_status (
    id          BIGINT PRIMARY KEY,
    run_id      VARCHAR(64)                 NOT NULL,
    event       TEXT                        NOT NULL,
    received_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE INDEX held_stage_status_run ON held_stage_status (run_id);
CREATE INDEX held_stage_status_received ON held_stage_status (received_at);
