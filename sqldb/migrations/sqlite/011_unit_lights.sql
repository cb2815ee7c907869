-- The version of a unit's tasks' status lights: moved in the transaction
-- that writes a light, for every unit the light's task reaches (named, or
-- through a group it belongs to). With the latest event that is neither a
-- comment nor a report (Heads.Tasks, by the index below), it is the
-- version of a page of the unit's tasks: a report changes one task's light,
-- so that it leaves the pages of the other units as they were.
CREATE TABLE unit_lights (
	unit_id INTEGER PRIMARY KEY REFERENCES units (id),
	version INTEGER NOT NULL
);
CREATE INDEX audit_events_tasks ON audit_events (seq)
	WHERE action NOT IN ('task.comment', 'report.save', 'report.submit', 'report.resubmit', 'report.return', 'report.accept');
