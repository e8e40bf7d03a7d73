-- A destruction batch keeps the rules it was proposed under, as its log entry shows them
-- for good: the backup period of a transferred-out student's record, and the school's cited
-- rule that let it take core records (none: it took none). Batches proposed before this
-- keep none.
ALTER TABLE destructions ADD COLUMN backup_years BIGINT;
ALTER TABLE destructions ADD COLUMN archive_rule_years BIGINT;
ALTER TABLE destructions ADD COLUMN archive_rule_citation TEXT;
