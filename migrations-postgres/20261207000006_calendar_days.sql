-- The school's own calendar days, over the State Council's that ship with the portal
-- (app/data/holidays-cn.tsv): a day off the school names (校庆, a closure) or a weekend day it
-- works, and the next year's public holidays before a release ships them. Working days
-- count the 10-day clock of a change of status (NATIONAL.md). Removing a day gives it back
-- to the shipped calendar.
CREATE TABLE calendar_days (
    day DATE PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL,
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TIMESTAMPTZ NOT NULL
);
