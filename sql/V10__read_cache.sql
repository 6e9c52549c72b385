-- The version of each enterprise's stored org. Every write of the org (a sync's apply, a resolve,
-- an event, a deleted enterprise) adds one to it in its own transaction, so that a node that reads
-- the versions knows which of its cached answers are older than the database. A deleted
-- enterprise keeps its row: its version only grows, even if it is created again.
CREATE TABLE org_version (
    corp_id VARCHAR(64) NOT NULL,
    version BIGINT      NOT NULL,
    PRIMARY KEY (corp_id)
)${tableOptions};

-- A department's members, paged by userid, read on one index range.
CREATE INDEX member_department_members ON member_department (corp_id, department_id, userid);

-- Case-insensitive prefix search on name and userid: the columns are binary-collated, so the
-- search reads lower-cased copies the database keeps itself (writers need not know about them;
-- MySQL and MariaDB store them in the row, as an index on them needs).
ALTER TABLE member ADD COLUMN name_folded VARCHAR(255) GENERATED ALWAYS AS (LOWER(name))${storedColumn};
ALTER TABLE member ADD COLUMN userid_folded VARCHAR(64) GENERATED ALWAYS AS (LOWER(userid))${storedColumn};
CREATE INDEX member_name_folded ON member (corp_id, name_folded);
CREATE INDEX member_userid_folded ON member (corp_id, userid_folded);
