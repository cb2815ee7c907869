-- Each period's lights counted by status: recounted from the lights in the
-- transaction that writes them (so that the counts cannot drift from the
-- lights), so that the overview's trend reads a few rows per period rather
-- than counting every light of the plan on every request.
CREATE TABLE light_counts (
	period_id BIGINT NOT NULL REFERENCES periods (id),
	status    TEXT NOT NULL,
	tasks     INTEGER NOT NULL,
	PRIMARY KEY (period_id, status)
);
INSERT INTO light_counts (period_id, status, tasks)
	SELECT period_id, status, count(*) FROM lights GROUP BY period_id, status;

-- The reports handed in for a period, read by the overview once the
-- period's reports are due to tell who still owes one, found in this index
-- alone rather than each in its row.
CREATE INDEX reports_period_state ON reports (period_id, state, task_id, unit_id, kind);
