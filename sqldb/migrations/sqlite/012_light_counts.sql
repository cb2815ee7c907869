-- Each period's lights counted by status: recounted from the lights in the
-- transaction that writes them (so that the counts cannot drift from the
-- lights), so that the overview's trend reads a few rows per period rather
-- than counting every light of the plan on every request.
CREATE TABLE light_counts (
	period_id INTEGER NOT NULL REFERENCES periods (id),
	status    TEXT NOT NULL,
	tasks     INTEGER NOT NULL,
	PRIMARY KEY (period_id, status)
) WITHOUT ROWID;
INSERT INTO light_counts (period_id, status, tasks)
	SELECT period_id, status, count(*) FROM lights GROUP BY period_id, status;
