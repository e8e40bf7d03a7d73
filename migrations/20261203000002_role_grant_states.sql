-- Role grants move onto the workflow helper: their state in a column of its own, as every
-- workflow's is (the decision column stays, filled as before).
ALTER TABLE role_grant_requests ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'approved', 'rejected'));
UPDATE role_grant_requests SET state = decision WHERE decision IS NOT NULL;
