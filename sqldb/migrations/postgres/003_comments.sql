-- Comments on tasks by leaders, the office and the units' clerks.
CREATE TABLE comments (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	task_id     BIGINT NOT NULL REFERENCES tasks (id),
	plan_id     BIGINT NOT NULL REFERENCES plans (id),
	author_id   BIGINT REFERENCES users (id),
	author      TEXT NOT NULL,
	author_role TEXT NOT NULL,
	text        TEXT NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX comments_task ON comments (task_id, id);
CREATE INDEX comments_plan ON comments (plan_id, id);
