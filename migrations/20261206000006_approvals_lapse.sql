-- An approval nobody releases lapses 7 days after it was decided (until now an approved
-- request kept its filing's lapse time, which a release no longer looked at): the approvals
-- standing today get their 7 days from their decision, not from their filing, so that none
-- lapses the moment this version starts.
UPDATE info_requests SET lapses_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', decided_at, '+7 days')
WHERE state = 'approved' AND decided_at IS NOT NULL;
