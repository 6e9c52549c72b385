-- What the cluster must remember about a credential between fetches, on its token row so that
-- every node obeys it:
--  * a hold: no node asks the upstream for this key before hold_until (epoch ms). A wrong secret
--    (hold_kind 'config') is held 1, 2, 4 ... up to 60 minutes while it stays wrong (fail_count
--    failures in a row); a 45009 ('blocked') for the block's length; a token the platform keeps
--    handing back after rejecting it ('rejected') until a forced refresh is allowed again.
--    hold_reason is the operator's message (never a secret or token).
--  * rejected_hash: a fingerprint of the token the upstream rejected, so that the platform
--    handing it back again is noticed after the token itself was dropped.
--  * forced refreshes of a stable token: when the last one was sent and how many on force_day
--    (days since the epoch, China time, as WeChat counts its quota).
ALTER TABLE upstream_token ADD COLUMN hold_until BIGINT NULL;
ALTER TABLE upstream_token ADD COLUMN hold_kind VARCHAR(16) NULL;
ALTER TABLE upstream_token ADD COLUMN hold_errcode INT NULL;
ALTER TABLE upstream_token ADD COLUMN hold_reason VARCHAR(1000) NULL;
ALTER TABLE upstream_token ADD COLUMN fail_count INT NOT NULL DEFAULT 0;
ALTER TABLE upstream_token ADD COLUMN rejected_hash VARCHAR(64) NULL;
ALTER TABLE upstream_token ADD COLUMN force_at BIGINT NULL;
ALTER TABLE upstream_token ADD COLUMN force_day INT NULL;
ALTER TABLE upstream_token ADD COLUMN force_count INT NOT NULL DEFAULT 0;
