-- One disclosure per opening of a release: the page left open reloads itself every minute to
-- take the data off once the window ends or the release is revoked, and such a reload is the
-- same opening (its random id, carried by the page), not another disclosure and audit entry.
ALTER TABLE disclosures ADD COLUMN opening TEXT;
CREATE UNIQUE INDEX disclosures_by_opening ON disclosures (opening) WHERE opening IS NOT NULL;
