-- "When did this enterprise's previous run end?" reads one entry backwards on (corp_id, finished_at)
-- instead of every earlier run of the enterprise; the maintenance job finds rows past
-- ORGSYNC_RUN_RETENTION_DAYS by their own time columns instead of scanning whole tables.
CREATE INDEX sync_run_corp_finished ON sync_run (corp_id, finished_at);
CREATE INDEX sync_run_finished ON sync_run (finished_at);
CREATE INDEX resolve_miss_expires ON resolve_miss (expires_at);
CREATE INDEX resolve_budget_day ON resolve_budget (day_key);
