CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id),
	name         TEXT NOT NULL,
	prefix       TEXT NOT NULL,
	token_hash   TEXT NOT NULL UNIQUE,
	created_at   TEXT NOT NULL,
	last_used_at TEXT,
	revoked_at   TEXT
);

CREATE TABLE areas (
	plan_id INTEGER NOT NULL REFERENCES plans (id),
	section INTEGER NOT NULL,
	no      INTEGER NOT NULL,
	title   TEXT NOT NULL,
	PRIMARY KEY (plan_id, section, no)
) WITHOUT ROWID;

CREATE TABLE audit_events (
	seq         INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	actor_id    INTEGER,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	entity      TEXT NOT NULL,
	entity_id   INTEGER NOT NULL,
	plan_id     INTEGER,
	summary     TEXT NOT NULL,
	before_json TEXT NOT NULL DEFAULT '',
	after_json  TEXT NOT NULL DEFAULT '',
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL
);

CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  INTEGER NOT NULL,
	hash TEXT NOT NULL
);

CREATE TABLE bulletins (
	period_id  INTEGER PRIMARY KEY REFERENCES periods (id),
	number     TEXT NOT NULL DEFAULT '',
	addressee  TEXT NOT NULL DEFAULT '',
	opening    TEXT NOT NULL,
	closing    TEXT NOT NULL,
	signature  TEXT NOT NULL DEFAULT '',
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE calendar_overrides (
	day     TEXT PRIMARY KEY,
	workday INTEGER NOT NULL CHECK (workday IN (0, 1)),
	name    TEXT NOT NULL,
	set_by  TEXT NOT NULL,
	set_at  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE channels (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('webhook', 'wecom', 'dingtalk', 'smtp')),
	unit_id    INTEGER REFERENCES units (id),
	plan_id    INTEGER REFERENCES plans (id),
	url        TEXT NOT NULL DEFAULT '',
	smtp_addr  TEXT NOT NULL DEFAULT '',
	username   TEXT NOT NULL DEFAULT '',
	mail_from  TEXT NOT NULL DEFAULT '',
	mail_to    TEXT NOT NULL DEFAULT '',
	secret     TEXT NOT NULL DEFAULT '',
	enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

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

CREATE TABLE cycle_settings (
	plan_id    INTEGER PRIMARY KEY REFERENCES plans (id),
	settings   TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE deliveries (
	id              INTEGER PRIMARY KEY,
	channel_id      INTEGER REFERENCES channels (id) ON DELETE SET NULL,
	channel_name    TEXT NOT NULL,
	channel_kind    TEXT NOT NULL,
	dedup_key       TEXT NOT NULL UNIQUE,
	event           TEXT NOT NULL,
	unit_id         INTEGER,
	plan_id         INTEGER,
	subject         TEXT NOT NULL,
	body            TEXT NOT NULL,
	link            TEXT NOT NULL DEFAULT '',
	state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TEXT NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	lease_owner     TEXT NOT NULL DEFAULT '',
	lease_until     TEXT,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	sent_at         TEXT
);

CREATE TABLE evidence (
	sha256      TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	size        INTEGER NOT NULL,
	type        TEXT NOT NULL DEFAULT '',
	uploaded_by TEXT NOT NULL,
	uploaded_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE form_drafts (
	id          INTEGER PRIMARY KEY,
	secret_hash TEXT NOT NULL UNIQUE,
	user_id     INTEGER REFERENCES users (id),
	page        TEXT NOT NULL,
	action      TEXT NOT NULL,
	fields      TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	expires_at  TEXT NOT NULL
);

CREATE TABLE leaders (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	title      TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
, ord INTEGER NOT NULL DEFAULT 0);

CREATE TABLE light_counts (
	period_id INTEGER NOT NULL REFERENCES periods (id),
	status    TEXT NOT NULL,
	tasks     INTEGER NOT NULL,
	PRIMARY KEY (period_id, status)
) WITHOUT ROWID;

CREATE TABLE light_days (
	period_id   INTEGER PRIMARY KEY REFERENCES periods (id),
	as_of       TEXT NOT NULL,
	computed_at TEXT NOT NULL
);

CREATE TABLE light_moves (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	task_id INTEGER
);

CREATE TABLE lights (
	period_id   INTEGER NOT NULL REFERENCES periods (id),
	task_id     INTEGER NOT NULL REFERENCES tasks (id),
	plan_id     INTEGER NOT NULL REFERENCES plans (id),
	status      TEXT NOT NULL CHECK (status IN ('closed', 'done', 'normal', 'lagging', 'severe', 'missing', 'not_started')),
	reason      TEXT NOT NULL,
	reason_en   TEXT NOT NULL,
	completion  INTEGER NOT NULL,
	expected    INTEGER NOT NULL,
	digest      BIGINT NOT NULL, reached TEXT NOT NULL DEFAULT '', timeline TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (period_id, task_id)
) WITHOUT ROWID;

CREATE TABLE login_attempts (
	id      INTEGER PRIMARY KEY,
	account TEXT NOT NULL,
	address TEXT NOT NULL,
	at      TEXT NOT NULL
);

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

CREATE TABLE plan_sources (
	plan_id     INTEGER NOT NULL REFERENCES plans (id),
	issue       INTEGER NOT NULL,
	name        TEXT NOT NULL,
	sha256      TEXT NOT NULL UNIQUE,
	data        BLOB NOT NULL,
	imported_at TEXT NOT NULL,
	PRIMARY KEY (plan_id, issue)
);

CREATE TABLE plan_warnings (
	plan_id INTEGER NOT NULL,
	issue   INTEGER NOT NULL,
	pos     INTEGER NOT NULL,
	line    INTEGER NOT NULL,
	code    TEXT NOT NULL,
	message TEXT NOT NULL,
	PRIMARY KEY (plan_id, issue, pos),
	FOREIGN KEY (plan_id, issue) REFERENCES plan_sources (plan_id, issue)
) WITHOUT ROWID;

CREATE TABLE plans (
	id           INTEGER PRIMARY KEY,
	region       TEXT NOT NULL DEFAULT '',
	year         INTEGER NOT NULL,
	doc_number   TEXT NOT NULL DEFAULT '',
	title        TEXT NOT NULL,
	issuer       TEXT NOT NULL DEFAULT '',
	issued_on    TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL CHECK (state IN ('draft', 'published', 'archived')),
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	published_at TEXT
, complete INTEGER NOT NULL DEFAULT 1 CHECK (complete IN (0, 1)));

CREATE TABLE publication_hidden (
	task_id INTEGER PRIMARY KEY REFERENCES tasks (id),
	plan_id INTEGER NOT NULL REFERENCES plans (id)
);

CREATE TABLE publications (
	plan_id    INTEGER PRIMARY KEY REFERENCES plans (id),
	public     INTEGER NOT NULL CHECK (public IN (0, 1)),
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE report_versions (
	report_id INTEGER NOT NULL REFERENCES reports (id),
	version   INTEGER NOT NULL,
	action    TEXT NOT NULL,
	body      TEXT NOT NULL,
	saved_by  TEXT NOT NULL,
	saved_at  TEXT NOT NULL,
	PRIMARY KEY (report_id, version)
) WITHOUT ROWID;

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

CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);

CREATE TABLE sections (
	plan_id INTEGER NOT NULL REFERENCES plans (id),
	no      INTEGER NOT NULL,
	title   TEXT NOT NULL,
	PRIMARY KEY (plan_id, no)
) WITHOUT ROWID;

CREATE TABLE sessions (
	id         INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	address    TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	seen_at    TEXT NOT NULL,
	expires_at TEXT NOT NULL
);

CREATE TABLE statements (
	id         INTEGER PRIMARY KEY,
	plan_id    INTEGER NOT NULL REFERENCES plans (id),
	section    INTEGER NOT NULL,
	area       INTEGER NOT NULL,
	text       TEXT NOT NULL,
	line       INTEGER NOT NULL DEFAULT 0,
	state      TEXT NOT NULL CHECK (state IN ('open', 'assigned', 'dismissed')),
	task_id    INTEGER REFERENCES tasks (id),
	note       TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE supervision_tasks (
	supervision_id INTEGER NOT NULL REFERENCES supervisions (id),
	task_id        INTEGER NOT NULL REFERENCES tasks (id),
	pos            INTEGER NOT NULL,
	PRIMARY KEY (supervision_id, task_id)
) WITHOUT ROWID;

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

CREATE TABLE task_indicators (
	task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	pos     INTEGER NOT NULL,
	text    TEXT NOT NULL,
	metric  TEXT NOT NULL,
	value   REAL NOT NULL,
	unit    TEXT NOT NULL,
	cmp     TEXT NOT NULL,
	upper   REAL,
	PRIMARY KEY (task_id, pos)
) WITHOUT ROWID;

CREATE TABLE task_owners (
	task_id   INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	role      TEXT NOT NULL CHECK (role IN ('lead_leader', 'lead_unit', 'responsible')),
	pos       INTEGER NOT NULL,
	name      TEXT NOT NULL,
	unit_id   INTEGER REFERENCES units (id),
	leader_id INTEGER REFERENCES leaders (id),
	PRIMARY KEY (task_id, role, pos)
) WITHOUT ROWID;

CREATE TABLE task_versions (
	plan_id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL
);

CREATE TABLE tasks (
	id         INTEGER PRIMARY KEY,
	plan_id    INTEGER NOT NULL REFERENCES plans (id),
	section    INTEGER NOT NULL,
	area       INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	text       TEXT NOT NULL,
	deadline   TEXT NOT NULL DEFAULT '',
	line       INTEGER NOT NULL DEFAULT 0,
	state      TEXT NOT NULL CHECK (state IN ('active', 'withdrawn')),
	issued     TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
, deadline_date TEXT NOT NULL DEFAULT '', deadline_kind TEXT NOT NULL DEFAULT '', deadline_steps TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 1, updated_by TEXT NOT NULL DEFAULT '');

CREATE TABLE unit_events (
	id        INTEGER PRIMARY KEY,
	unit_id   INTEGER NOT NULL REFERENCES units (id),
	at        TEXT NOT NULL,
	kind      TEXT NOT NULL CHECK (kind IN ('created', 'renamed', 'merged_in', 'merged_into', 'alias')),
	from_name TEXT NOT NULL DEFAULT '',
	to_name   TEXT NOT NULL DEFAULT '',
	other_id  INTEGER REFERENCES units (id)
);

CREATE TABLE unit_lights (
	unit_id INTEGER PRIMARY KEY REFERENCES units (id),
	version INTEGER NOT NULL
);

CREATE TABLE unit_members (
	group_id INTEGER NOT NULL REFERENCES units (id),
	unit_id  INTEGER NOT NULL REFERENCES units (id),
	PRIMARY KEY (group_id, unit_id)
);

CREATE TABLE unit_names (
	name    TEXT PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES units (id),
	kind    TEXT NOT NULL CHECK (kind IN ('name', 'alias'))
) WITHOUT ROWID;

CREATE TABLE units (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('department', 'street', 'company', 'group')),
	merged_into INTEGER REFERENCES units (id),
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);

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

CREATE TABLE users (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	role         TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'clerk', 'viewer')),
	unit_id      INTEGER REFERENCES units (id),
	leader_id    INTEGER REFERENCES leaders (id),
	disabled     INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
, password_hash TEXT NOT NULL DEFAULT '');

CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

CREATE INDEX audit_events_entity ON audit_events (entity, entity_id, seq);

CREATE INDEX audit_events_lists ON audit_events (seq) WHERE action <> 'task.comment';

CREATE INDEX audit_events_plan ON audit_events (plan_id, seq);

CREATE INDEX audit_events_tasks ON audit_events (seq)
	WHERE action NOT IN ('task.comment', 'report.save', 'report.submit', 'report.resubmit', 'report.return', 'report.accept');

CREATE INDEX channels_plan ON channels (plan_id);

CREATE INDEX channels_unit ON channels (unit_id);

CREATE UNIQUE INDEX closures_standing ON closures (task_id) WHERE state IN ('requested', 'closed');

CREATE INDEX closures_task ON closures (task_id, id);

CREATE INDEX comments_plan ON comments (plan_id, id);

CREATE INDEX comments_task ON comments (task_id, id);

CREATE INDEX deliveries_channel ON deliveries (channel_id, id);

CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';

CREATE INDEX deliveries_lease ON deliveries (lease_until) WHERE state = 'sending';

CREATE INDEX deliveries_unit ON deliveries (unit_id, id);

CREATE INDEX form_drafts_expires ON form_drafts (expires_at);

CREATE INDEX lights_plan ON lights (plan_id);

CREATE INDEX lights_task ON lights (task_id, period_id);

CREATE INDEX login_attempts_address ON login_attempts (address, at);

CREATE INDEX login_attempts_at ON login_attempts (at);

CREATE INDEX login_attempts_pair ON login_attempts (account, address, at);

CREATE INDEX notifications_office ON notifications (office, id);

CREATE INDEX notifications_unit ON notifications (unit_id, id);

CREATE INDEX notifications_unread_office ON notifications (office) WHERE read_at IS NULL;

CREATE INDEX notifications_unread_unit ON notifications (unit_id) WHERE read_at IS NULL;

CREATE INDEX notifications_unread_user ON notifications (user_id) WHERE read_at IS NULL;

CREATE INDEX notifications_user ON notifications (user_id, id);

CREATE INDEX plans_identity ON plans (region, year, doc_number);

CREATE INDEX plans_year ON plans (year);

CREATE INDEX publication_hidden_plan ON publication_hidden (plan_id);

CREATE INDEX reports_lights ON reports (period_id, kind, task_id, completion, state, actual_values);

CREATE INDEX reports_period_state ON reports (period_id, state, task_id, unit_id, kind);

CREATE INDEX reports_plan ON reports (plan_id, period_id, state);

CREATE INDEX reports_task ON reports (task_id, period_id);

CREATE INDEX reports_unit ON reports (unit_id, period_id);

CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE INDEX statements_plan ON statements (plan_id, state);

CREATE INDEX supervision_tasks_task ON supervision_tasks (task_id);

CREATE INDEX supervisions_plan ON supervisions (plan_id, id);

CREATE INDEX supervisions_unit ON supervisions (unit_id, id);

CREATE INDEX task_owners_leader ON task_owners (leader_id, task_id);

CREATE INDEX task_owners_unit ON task_owners (unit_id, task_id);

CREATE INDEX tasks_deadline ON tasks (deadline_date);

CREATE INDEX tasks_plan ON tasks (plan_id, section, area, seq);

CREATE INDEX tasks_plan_state ON tasks (plan_id, state);

CREATE INDEX unit_events_unit ON unit_events (unit_id, id);

CREATE INDEX unit_members_unit ON unit_members (unit_id, group_id);

CREATE INDEX unit_names_unit ON unit_names (unit_id);

CREATE INDEX urges_plan ON urges (plan_id, id);

CREATE INDEX urges_unit ON urges (unit_id, at);

CREATE INDEX users_unit ON users (unit_id);

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
	SELECT RAISE(ABORT, 'audit_head cannot be deleted');
END;

CREATE TRIGGER task_indicators_delete_version AFTER DELETE ON task_indicators BEGIN
	INSERT INTO task_versions (plan_id, version) SELECT plan_id, 1 FROM tasks WHERE id = OLD.task_id
		ON CONFLICT (plan_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER task_indicators_insert_version AFTER INSERT ON task_indicators BEGIN
	INSERT INTO task_versions (plan_id, version) SELECT plan_id, 1 FROM tasks WHERE id = NEW.task_id
		ON CONFLICT (plan_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER task_indicators_update_version AFTER UPDATE ON task_indicators BEGIN
	INSERT INTO task_versions (plan_id, version) SELECT plan_id, 1 FROM tasks WHERE id IN (OLD.task_id, NEW.task_id)
		ON CONFLICT (plan_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER tasks_delete_version AFTER DELETE ON tasks BEGIN
	INSERT INTO task_versions (plan_id, version) VALUES (OLD.plan_id, 1)
		ON CONFLICT (plan_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER tasks_insert_version AFTER INSERT ON tasks BEGIN
	INSERT INTO task_versions (plan_id, version) VALUES (NEW.plan_id, 1)
		ON CONFLICT (plan_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER tasks_update_version AFTER UPDATE OF plan_id, state, deadline, deadline_date, deadline_kind, deadline_steps ON tasks BEGIN
	INSERT INTO task_versions (plan_id, version) VALUES (OLD.plan_id, 1)
		ON CONFLICT (plan_id) DO UPDATE SET version = version + 1;
	INSERT INTO task_versions (plan_id, version) VALUES (NEW.plan_id, 1)
		ON CONFLICT (plan_id) DO UPDATE SET version = version + 1;
END;

