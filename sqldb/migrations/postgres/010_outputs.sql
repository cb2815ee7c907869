-- What the cycle's outputs keep: the targets each light found reached, the
-- office's own paragraphs of each period's bulletin (通报), and what each
-- plan shows the public (政务公开).

-- What the task's targets reached by the light's day, in base units, as
-- cycle.ReachedText writes it: "0=38700;2=8.1".
ALTER TABLE lights ADD COLUMN reached TEXT NOT NULL DEFAULT '';

-- A period's bulletin as the office edits it before it is made: its
-- number (文号), addressee, opening and closing paragraphs and signature;
-- the figures and lists between them are the period's own.
CREATE TABLE bulletins (
	period_id  BIGINT PRIMARY KEY REFERENCES periods (id),
	number     TEXT NOT NULL DEFAULT '',
	addressee  TEXT NOT NULL DEFAULT '',
	opening    TEXT NOT NULL,
	closing    TEXT NOT NULL,
	signature  TEXT NOT NULL DEFAULT '',
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

-- Whether a plan's progress is on the public page; a plan without a row is
-- not.
CREATE TABLE publications (
	plan_id    BIGINT PRIMARY KEY REFERENCES plans (id),
	public     BOOLEAN NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

-- The tasks of a plan the office keeps off the public page.
CREATE TABLE publication_hidden (
	task_id BIGINT PRIMARY KEY REFERENCES tasks (id),
	plan_id BIGINT NOT NULL REFERENCES plans (id)
);
CREATE INDEX publication_hidden_plan ON publication_hidden (plan_id);
