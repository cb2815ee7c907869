-- The day of each period's lights, and when they last changed, kept once
-- per period rather than on every light: the lights' reasons name their day
-- through a mark filled in when read (cycle.Light.Expand), so that a day
-- passing rewrites only the lights whose status or numbers move. The
-- reasons kept until now name their day in full and read as they are;
-- their digests, which now leave the day out, differ from those computed,
-- so the next recomputation writes them again, marked.
CREATE TABLE light_days (
	period_id   INTEGER PRIMARY KEY REFERENCES periods (id),
	as_of       TEXT NOT NULL,
	computed_at TEXT NOT NULL
);
INSERT INTO light_days (period_id, as_of, computed_at)
	SELECT period_id, max(as_of), max(computed_at) FROM lights GROUP BY period_id;
ALTER TABLE lights DROP COLUMN as_of;
ALTER TABLE lights DROP COLUMN computed_at;
