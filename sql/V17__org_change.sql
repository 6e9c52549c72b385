-- The change log: one row per member or department a write changed, in the transaction of the
-- write, numbered per enterprise (org_version.change_seq is the last number given). Other nodes
-- follow it to drop exactly the cached answers a change touched; the change feed hands its rows
-- on to subscribers and to readers of GET /api/v1/corps/{corpId}/changes.
--   kind     member.created | member.updated | member.departed |
--            department.created | department.updated | department.deleted
--   subject  the userid, or the department id
--   fields   the fields an update changed, comma-separated (NULL for other kinds)
--   source   what wrote it: sync | event | resolve | admin
--   touched  JSON: what cached answers depend on (userids, mobiles, departments, names, tree)
--   data     JSON: the member or department after the change, as the read API shows it
ALTER TABLE org_version ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
CREATE TABLE org_change (
    corp_id    VARCHAR(64)   NOT NULL,
    seq        BIGINT        NOT NULL,
    kind       VARCHAR(32)   NOT NULL,
    subject    VARCHAR(64)   NOT NULL,
    fields     VARCHAR(512)  NULL,
    source     VARCHAR(16)   NOT NULL,
    changed_at BIGINT        NOT NULL,
    touched    TEXT          NOT NULL,
    data       TEXT          NOT NULL,
    PRIMARY KEY (corp_id, seq)
)${tableOptions};
CREATE INDEX org_change_time ON org_change (changed_at);
