-- The member fields the read API shows (docs/http-api.md, "A member"): WeCom's alias, telephone
-- and direct leaders (userids, comma-separated; '' for none), and per membership whether the
-- member leads that department (is_leader_in_dept; a department's leaders are its members
-- marked so). NULL everywhere means "not known": the enterprise's set-up did not read it.
ALTER TABLE member ADD COLUMN alias VARCHAR(255) NULL;
ALTER TABLE member ADD COLUMN telephone VARCHAR(255) NULL;
ALTER TABLE member ADD COLUMN direct_leader VARCHAR(2000) NULL;
ALTER TABLE member_department ADD COLUMN is_leader BOOLEAN NULL;

-- What a set-up cannot read is NULL, never an empty string that looks like data: names and
-- details are unknown where only ids can be listed (a contact-sync secret on a new IP), e-mails
-- where the app was created after 2022-06-20.
ALTER TABLE member ${modifyColumn} name VARCHAR(255) NULL;
ALTER TABLE member ${modifyColumn} email VARCHAR(255) NULL;
ALTER TABLE member ${modifyColumn} position VARCHAR(255) NULL;
ALTER TABLE member ${modifyColumn} status INT NULL;
ALTER TABLE department ${modifyColumn} name VARCHAR(255) NULL;
UPDATE member SET email = NULL WHERE email = '';
UPDATE member SET position = NULL WHERE position = '';
