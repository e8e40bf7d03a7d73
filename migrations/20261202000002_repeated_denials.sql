-- Repeated refusals of the same request by the same person are one audit entry and a count,
-- not an entry each (a loop of denied requests wrote ~690 entries a second): the first
-- refusal of a ten-minute window is in the trail, the repeats are counted here, and the count
-- goes into the trail when the window closes.
CREATE TABLE denial_windows (
    actor_id INTEGER NOT NULL REFERENCES users (id),
    action TEXT NOT NULL,
    object TEXT NOT NULL,                 -- "student:12", or "" when about nothing
    window_started_at TEXT NOT NULL,
    repeated INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (actor_id, action, object)
) STRICT;
CREATE INDEX denial_windows_by_start ON denial_windows (window_started_at);
