-- A running run's last sign of life (epoch ms), written as it re-checks its claim about once a
-- second: the cluster ends runs whose node died or that stopped progressing. The status index
-- lets "is this enterprise running?" read one index range instead of every run of the enterprise.
ALTER TABLE sync_run ADD COLUMN progress_at BIGINT NULL;
CREATE INDEX sync_run_corp_status ON sync_run (corp_id, status);
