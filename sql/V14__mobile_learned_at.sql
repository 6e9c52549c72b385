-- When a resolve learned the member's mobile (mobile_source 'resolve'), epoch milliseconds. A
-- learned pair older than ORGSYNC_RESOLVE_RECHECK_DAYS is confirmed with getuserid before it
-- answers a resolve; NULL (pairs learned before this column) counts as due.
ALTER TABLE member ADD COLUMN mobile_learned_at BIGINT NULL;
