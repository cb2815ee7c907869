-- What the lights' recomputation reads of the task reports of a plan's
-- periods, read from the index alone rather than from each report's row,
-- which holds its texts. (PostgreSQL's 012 also leaves room in the lights'
-- pages for their daily rewrite; SQLite has no such setting.)
CREATE INDEX reports_lights ON reports (period_id, kind, task_id, completion, state, actual_values);
