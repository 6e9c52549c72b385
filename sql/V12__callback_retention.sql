-- The maintenance job deletes callback events that ended (APPLIED, SKIPPED, FAILED) before
-- ORGSYNC_RUN_RETENTION_DAYS by the time they ended, instead of scanning the whole table.
CREATE INDEX callback_event_ended ON callback_event (applied_at);
