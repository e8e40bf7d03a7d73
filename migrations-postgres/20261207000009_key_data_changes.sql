-- 关键数据变更: after a record is verified, its key data (name, sex, birth date, identity
-- document and number, ethnicity, nationality, 户口) changes only through an application a
-- records administrator files with proof and a leader approves, on the same table, workflow
-- and proofs as a change of status. `key_fields` names the fields it changes (never their
-- values); `sealed` holds the new values, sealed like the record's classified fields
-- (a key-data application has them, no other kind does).
ALTER TABLE status_changes DROP CONSTRAINT status_changes_kind_check;
ALTER TABLE status_changes ADD CONSTRAINT status_changes_kind_check
    CHECK (kind IN ('transfer_out', 'transfer_in', 'suspend', 'resume', 'drop_out', 'death',
        'abroad', 'other_leave', 'repeat_grade', 'skip_grade', 'key_data'));
ALTER TABLE status_changes ADD COLUMN key_fields TEXT NOT NULL DEFAULT '';
ALTER TABLE status_changes ADD COLUMN sealed BYTEA;
ALTER TABLE status_changes ADD CONSTRAINT status_changes_key_data_sealed
    CHECK ((kind = 'key_data') = (sealed IS NOT NULL));
