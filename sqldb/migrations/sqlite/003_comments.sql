-- Comments on tasks by leaders, the office and the units' clerks.
CREATE TABLE comments (
	id          INTEGER PRIMARY KEY,
	task_id     INTEGER NOT NULL REFERENCES tasks (id),
	plan_id     INTEGER NOT NULL REFERENCES plans (id),
	author_id   INTEGER REFERENCES users (id),
	author      TEXT NOT NULL,
	author_role TEXT NOT NULL,
	text        TEXT NOT NULL,
	created_at  TEXT NOT NULL
);
CREATE INDEX comments_task ON comments (task_id, id);
CREATE INDEX comments_plan ON comments (plan_id, id);
