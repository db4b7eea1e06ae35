-- Schedules (POST /schedules, as Argo's CronWorkflow): a cron expression in a time zone starts runs of a spec.
-- next_run_at is the next tick (null while suspended); a replica claims a due schedule by locking its row
-- (FOR UPDATE SKIP LOCKED) and moving next_run_at past now in the same transaction, so one tick starts one run.
CREATE SEQUENCE schedule_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE schedule (
    id                  BIGINT PRIMARY KEY,
    name                VARCHAR(64)  NOT NULL UNIQUE,
    cron                VARCHAR(256) NOT NULL,
    timezone            VARCHAR(64)  NOT NULL,
    concurrency_policy  VARCHAR(16)  NOT NULL,
    suspended           BOOLEAN      NOT NULL,
    spec                TEXT         NOT NULL,
    created_at          TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    next_run_at         TIMESTAMP(6) WITH TIME ZONE,
    last_run_id         VARCHAR(64),
    last_run_at         TIMESTAMP(6) WITH TIME ZONE,
    last_skipped_at     TIMESTAMP(6) WITH TIME ZONE,
    last_error          TEXT
);
CREATE INDEX schedule_due_idx ON schedule (next_run_at) WHERE NOT suspended;
