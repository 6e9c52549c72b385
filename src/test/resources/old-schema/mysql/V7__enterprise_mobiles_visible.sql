-- Whether the enterprise's app shows members' mobiles (apps created before 2022-06-20 do), as its
-- last complete sync saw it; NULL until one has. When it does, an empty mobile in user/list means
-- the number was removed and the stored one is cleared; when it does not, stored ones are kept.
ALTER TABLE enterprise ADD COLUMN mobiles_visible BOOLEAN NULL;
