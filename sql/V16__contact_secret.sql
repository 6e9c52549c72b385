-- An enterprise holds an app secret, a contact-sync secret, or both (docs/setups.md): the app's
-- secret may now be absent, and the contact-sync secret is sealed as the app's is.
ALTER TABLE enterprise ${secretNullable};
ALTER TABLE enterprise ADD COLUMN contact_secret VARCHAR(1024) NULL;
-- When the contact-sync secret last answered 48009 (called from an IP trusted since 2022-08-15:
-- it may only list ids); NULL when it never did. A sync asks it for details again a day later.
ALTER TABLE enterprise ADD COLUMN contact_ids_only_at BIGINT NULL;
-- What the enterprise's set-up could read at its last complete sync (GET /admin/api/enterprises,
-- "access"); NULL before the first one. The mobiles are mobiles_visible (V7).
ALTER TABLE enterprise ADD COLUMN access_names BOOLEAN NULL;
ALTER TABLE enterprise ADD COLUMN access_complete BOOLEAN NULL;
ALTER TABLE enterprise ADD COLUMN access_whole BOOLEAN NULL;
ALTER TABLE enterprise ADD COLUMN access_checked_at BIGINT NULL;
