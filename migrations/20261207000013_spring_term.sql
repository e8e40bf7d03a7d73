-- The day a school year's second (spring) term begins, as the school sets it on the structure
-- page: the records overview counts a term's changes of status from it. None: 1 February.
ALTER TABLE school_years ADD COLUMN spring_term_starts_on TEXT;
