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

CREATE TABLE leaders (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	title      TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE login_attempts (
	id      INTEGER PRIMARY KEY,
	account TEXT NOT NULL,
	address TEXT NOT NULL,
	at      TEXT NOT NULL
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
);

CREATE TABLE unit_events (
	id        INTEGER PRIMARY KEY,
	unit_id   INTEGER NOT NULL REFERENCES units (id),
	at        TEXT NOT NULL,
	kind      TEXT NOT NULL CHECK (kind IN ('created', 'renamed', 'merged_in', 'merged_into', 'alias')),
	from_name TEXT NOT NULL DEFAULT '',
	to_name   TEXT NOT NULL DEFAULT '',
	other_id  INTEGER REFERENCES units (id)
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

CREATE INDEX channels_plan ON channels (plan_id);

CREATE INDEX channels_unit ON channels (unit_id);

CREATE INDEX comments_plan ON comments (plan_id, id);

CREATE INDEX comments_task ON comments (task_id, id);

CREATE INDEX deliveries_channel ON deliveries (channel_id, id);

CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';

CREATE INDEX deliveries_lease ON deliveries (lease_until) WHERE state = 'sending';

CREATE INDEX deliveries_unit ON deliveries (unit_id, id);

CREATE INDEX login_attempts_address ON login_attempts (address, at);

CREATE INDEX login_attempts_at ON login_attempts (at);

CREATE INDEX login_attempts_pair ON login_attempts (account, address, at);

CREATE INDEX plans_identity ON plans (region, year, doc_number);

CREATE INDEX plans_year ON plans (year);

CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE INDEX statements_plan ON statements (plan_id, state);

CREATE INDEX task_owners_leader ON task_owners (leader_id, task_id);

CREATE INDEX task_owners_unit ON task_owners (unit_id, task_id);

CREATE INDEX tasks_plan ON tasks (plan_id, section, area, seq);

CREATE INDEX tasks_plan_state ON tasks (plan_id, state);

CREATE INDEX unit_events_unit ON unit_events (unit_id, id);

CREATE INDEX unit_names_unit ON unit_names (unit_id);

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

