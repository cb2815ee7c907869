-- The daily recomputation rewrites every light of the open periods (their
-- day moves) and mostly leaves their status, the one column of an index it
-- writes, as it was: with room left in each page, PostgreSQL keeps each
-- new version of a light beside the old (a HOT update) and leaves the
-- lights' three indexes alone. Pages written from now on keep that room.
ALTER TABLE lights SET (fillfactor = 70);
