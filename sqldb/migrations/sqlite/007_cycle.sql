-- The year's supervision cycle: deadlines as dates and versions on tasks,
-- each plan's settings, the office's calendar, reporting periods, reports
-- and their versions, evidence files, requests to close tasks, status
-- lights per period, supervision notices, urges and notifications.

-- A task's deadline read as a date (duban.ParseDeadline) beside its text,
-- so that the ledger sorts and filters by it: YYYY-MM-DD or '', the kind
-- ('' none, date, ongoing, unread) and the dated steps as JSON ('' none).
-- Rows of older tasks are read when the store opens (backfillDeadlines).
ALTER TABLE tasks ADD COLUMN deadline_date TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN deadline_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN deadline_steps TEXT NOT NULL DEFAULT '';
-- Each save counts a version; a save from an older one is refused.
ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tasks ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
CREATE INDEX tasks_deadline ON tasks (deadline_date);

-- A plan's schedule, time line start, thresholds and reminder days, as
-- JSON (duban.CycleSettings); a plan without a row has the defaults.
CREATE TABLE cycle_settings (
	plan_id    INTEGER PRIMARY KEY REFERENCES plans (id),
	settings   TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- The office's corrections of the holiday table, one row a day.
CREATE TABLE calendar_overrides (
	day     TEXT PRIMARY KEY,
	workday INTEGER NOT NULL CHECK (workday IN (0, 1)),
	name    TEXT NOT NULL,
	set_by  TEXT NOT NULL,
	set_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Days are YYYY-MM-DD text, which sorts in time order.
CREATE TABLE periods (
	id          INTEGER PRIMARY KEY,
	plan_id     INTEGER NOT NULL REFERENCES plans (id),
	seq         INTEGER NOT NULL,
	label       TEXT NOT NULL,
	start_day   TEXT NOT NULL,
	end_day     TEXT NOT NULL,
	due         TEXT NOT NULL,
	scheduled   TEXT NOT NULL,
	due_note    TEXT NOT NULL DEFAULT '',
	due_note_en TEXT NOT NULL DEFAULT '',
	state       TEXT NOT NULL CHECK (state IN ('pending', 'open', 'closed')),
	reopened    INTEGER NOT NULL DEFAULT 0,
	opened_at   TEXT,
	closed_at   TEXT,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	UNIQUE (plan_id, seq)
);

-- Evidence files, kept in the data folder by the hash of their content.
CREATE TABLE evidence (
	sha256      TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	size        INTEGER NOT NULL,
	type        TEXT NOT NULL DEFAULT '',
	uploaded_by TEXT NOT NULL,
	uploaded_at TEXT NOT NULL
) WITHOUT ROWID;

-- A unit's part of a task, or the task's report, in a period. actuals and
-- evidence are JSON (duban.Actual, duban.EvidenceRef).
CREATE TABLE reports (
	id            INTEGER PRIMARY KEY,
	plan_id       INTEGER NOT NULL REFERENCES plans (id),
	period_id     INTEGER NOT NULL REFERENCES periods (id),
	task_id       INTEGER NOT NULL REFERENCES tasks (id),
	unit_id       INTEGER NOT NULL REFERENCES units (id),
	kind          TEXT NOT NULL CHECK (kind IN ('part', 'task')),
	state         TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'resubmitted', 'accepted')),
	progress      TEXT NOT NULL DEFAULT '',
	completion    INTEGER NOT NULL DEFAULT 0,
	actuals       TEXT NOT NULL DEFAULT '[]',
	-- The actuals read, as the lights read them: "0=38700;2=8.1", the
	-- target's place and its value, without decoding the JSON.
	actual_values TEXT NOT NULL DEFAULT '',
	problems      TEXT NOT NULL DEFAULT '',
	next_steps    TEXT NOT NULL DEFAULT '',
	evidence      TEXT NOT NULL DEFAULT '[]',
	return_reason TEXT NOT NULL DEFAULT '',
	version       INTEGER NOT NULL,
	submitted_at  TEXT,
	reviewed_at   TEXT,
	reviewer      TEXT NOT NULL DEFAULT '',
	updated_by_id INTEGER,
	updated_by    TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	UNIQUE (period_id, task_id, unit_id, kind)
);
CREATE INDEX reports_task ON reports (task_id, period_id);
CREATE INDEX reports_unit ON reports (unit_id, period_id);
CREATE INDEX reports_plan ON reports (plan_id, period_id, state);

-- Every saved version of a report, as JSON (duban.Report).
CREATE TABLE report_versions (
	report_id INTEGER NOT NULL REFERENCES reports (id),
	version   INTEGER NOT NULL,
	action    TEXT NOT NULL,
	body      TEXT NOT NULL,
	saved_by  TEXT NOT NULL,
	saved_at  TEXT NOT NULL,
	PRIMARY KEY (report_id, version)
) WITHOUT ROWID;

-- Requests to close tasks (申请办结) and the office's decisions; a task has
-- at most one request waiting or granted.
CREATE TABLE closures (
	id           INTEGER PRIMARY KEY,
	plan_id      INTEGER NOT NULL REFERENCES plans (id),
	task_id      INTEGER NOT NULL REFERENCES tasks (id),
	unit_id      INTEGER NOT NULL REFERENCES units (id),
	state        TEXT NOT NULL CHECK (state IN ('requested', 'closed', 'declined')),
	note         TEXT NOT NULL,
	evidence     TEXT NOT NULL DEFAULT '[]',
	reason       TEXT NOT NULL DEFAULT '',
	requested_by TEXT NOT NULL,
	requested_at TEXT NOT NULL,
	decided_by   TEXT NOT NULL DEFAULT '',
	decided_at   TEXT
);
CREATE INDEX closures_task ON closures (task_id, id);
CREATE UNIQUE INDEX closures_standing ON closures (task_id) WHERE state IN ('requested', 'closed');

-- Each period's light of each task, kept for trends.
CREATE TABLE lights (
	period_id   INTEGER NOT NULL REFERENCES periods (id),
	task_id     INTEGER NOT NULL REFERENCES tasks (id),
	plan_id     INTEGER NOT NULL REFERENCES plans (id),
	status      TEXT NOT NULL CHECK (status IN ('closed', 'done', 'normal', 'lagging', 'severe', 'missing', 'not_started')),
	reason      TEXT NOT NULL,
	reason_en   TEXT NOT NULL,
	completion  INTEGER NOT NULL,
	expected    INTEGER NOT NULL,
	as_of       TEXT NOT NULL,
	computed_at TEXT NOT NULL,
	-- A hash of the light as computed (duban.Light.Digest), which the
	-- daily recomputation compares instead of reading every reason back.
	digest      BIGINT NOT NULL,
	PRIMARY KEY (period_id, task_id)
) WITHOUT ROWID;
CREATE INDEX lights_task ON lights (task_id, period_id);
CREATE INDEX lights_plan ON lights (plan_id, status);

-- Supervision notices (督办单), numbered per year.
CREATE TABLE supervisions (
	id              INTEGER PRIMARY KEY,
	plan_id         INTEGER NOT NULL REFERENCES plans (id),
	year            INTEGER NOT NULL,
	seq             INTEGER NOT NULL,
	unit_id         INTEGER NOT NULL REFERENCES units (id),
	unit_name       TEXT NOT NULL,
	reason          TEXT NOT NULL,
	requirement     TEXT NOT NULL,
	due             TEXT NOT NULL,
	state           TEXT NOT NULL CHECK (state IN ('issued', 'acknowledged', 'answered', 'closed', 'reissued')),
	answer          TEXT NOT NULL DEFAULT '',
	evidence        TEXT NOT NULL DEFAULT '[]',
	repeat_of       INTEGER REFERENCES supervisions (id),
	repeated_by     INTEGER REFERENCES supervisions (id),
	issued_by       TEXT NOT NULL,
	issued_at       TEXT NOT NULL,
	acknowledged_by TEXT NOT NULL DEFAULT '',
	acknowledged_at TEXT,
	answered_by     TEXT NOT NULL DEFAULT '',
	answered_at     TEXT,
	closed_by       TEXT NOT NULL DEFAULT '',
	closed_at       TEXT,
	version         INTEGER NOT NULL,
	updated_by      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	UNIQUE (year, seq)
);
CREATE INDEX supervisions_unit ON supervisions (unit_id, id);
CREATE INDEX supervisions_plan ON supervisions (plan_id, id);

CREATE TABLE supervision_tasks (
	supervision_id INTEGER NOT NULL REFERENCES supervisions (id),
	task_id        INTEGER NOT NULL REFERENCES tasks (id),
	pos            INTEGER NOT NULL,
	PRIMARY KEY (supervision_id, task_id)
) WITHOUT ROWID;
CREATE INDEX supervision_tasks_task ON supervision_tasks (task_id);

-- The office urging a task or a unit (催办).
CREATE TABLE urges (
	id        INTEGER PRIMARY KEY,
	plan_id   INTEGER NOT NULL REFERENCES plans (id),
	task_id   INTEGER REFERENCES tasks (id),
	unit_id   INTEGER NOT NULL REFERENCES units (id),
	period_id INTEGER REFERENCES periods (id),
	message   TEXT NOT NULL,
	by_id     INTEGER,
	by_name   TEXT NOT NULL,
	at        TEXT NOT NULL
);
CREATE INDEX urges_unit ON urges (unit_id, at);
CREATE INDEX urges_plan ON urges (plan_id, id);

-- In-app notifications: to a user, to every clerk of a unit, or to the
-- office. dedup_key makes one once-only whichever server adds it.
CREATE TABLE notifications (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER REFERENCES users (id),
	unit_id    INTEGER REFERENCES units (id),
	office     INTEGER NOT NULL DEFAULT 0 CHECK (office IN (0, 1)),
	kind       TEXT NOT NULL,
	text       TEXT NOT NULL,
	text_en    TEXT NOT NULL DEFAULT '',
	link       TEXT NOT NULL DEFAULT '',
	dedup_key  TEXT UNIQUE,
	created_at TEXT NOT NULL,
	read_at    TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unit ON notifications (unit_id, id);
CREATE INDEX notifications_office ON notifications (office, id);
