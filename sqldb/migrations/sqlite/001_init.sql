-- The first schema: the directory of units and leaders, plans with their
-- notices, tasks, unassigned statements, users and the audit log.
-- Times are UTC text, 2006-01-02T15:04:05.000000Z, which sorts in time order.

CREATE TABLE units (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('department', 'street', 'company', 'group')),
	merged_into INTEGER REFERENCES units (id),
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);

-- Tables keyed by their natural key are WITHOUT ROWID: the rows are stored
-- in key order, and reading a task's owners is one range scan.

-- Every name that means a unit, normalised (duban.NormalizeName): its own
-- name and its aliases. The key makes a name mean one unit.
CREATE TABLE unit_names (
	name    TEXT PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES units (id),
	kind    TEXT NOT NULL CHECK (kind IN ('name', 'alias'))
) WITHOUT ROWID;
CREATE INDEX unit_names_unit ON unit_names (unit_id);

-- Renames and merges, so that a unit's history across years can be told.
CREATE TABLE unit_events (
	id        INTEGER PRIMARY KEY,
	unit_id   INTEGER NOT NULL REFERENCES units (id),
	at        TEXT NOT NULL,
	kind      TEXT NOT NULL CHECK (kind IN ('created', 'renamed', 'merged_in', 'merged_into', 'alias')),
	from_name TEXT NOT NULL DEFAULT '',
	to_name   TEXT NOT NULL DEFAULT '',
	other_id  INTEGER REFERENCES units (id)
);
CREATE INDEX unit_events_unit ON unit_events (unit_id, id);

CREATE TABLE leaders (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	title      TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

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
);
CREATE INDEX plans_year ON plans (year);
CREATE INDEX plans_identity ON plans (region, year, doc_number);

-- Each notice file imported for a plan: the first, then each re-issue. The
-- hash makes importing the same file twice a no-op.
CREATE TABLE plan_sources (
	plan_id     INTEGER NOT NULL REFERENCES plans (id),
	issue       INTEGER NOT NULL,
	name        TEXT NOT NULL,
	sha256      TEXT NOT NULL UNIQUE,
	data        BLOB NOT NULL,
	imported_at TEXT NOT NULL,
	PRIMARY KEY (plan_id, issue)
);

-- The reader's warnings on each notice file, for the office to check.
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

CREATE TABLE sections (
	plan_id INTEGER NOT NULL REFERENCES plans (id),
	no      INTEGER NOT NULL,
	title   TEXT NOT NULL,
	PRIMARY KEY (plan_id, no)
) WITHOUT ROWID;

CREATE TABLE areas (
	plan_id INTEGER NOT NULL REFERENCES plans (id),
	section INTEGER NOT NULL,
	no      INTEGER NOT NULL,
	title   TEXT NOT NULL,
	PRIMARY KEY (plan_id, section, no)
) WITHOUT ROWID;

-- issued is JSON (duban.IssuedTask): the task as the latest notice states
-- it, what a re-issued notice is compared with. NULL for tasks the office
-- made.
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
CREATE INDEX tasks_plan ON tasks (plan_id, section, area, seq);

-- A task's owners in order: lead leaders, lead units, responsible units.
-- name is as written; unit_id or leader_id is the directory entry it means,
-- NULL while a draft's name is not mapped.
CREATE TABLE task_owners (
	task_id   INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	role      TEXT NOT NULL CHECK (role IN ('lead_leader', 'lead_unit', 'responsible')),
	pos       INTEGER NOT NULL,
	name      TEXT NOT NULL,
	unit_id   INTEGER REFERENCES units (id),
	leader_id INTEGER REFERENCES leaders (id),
	PRIMARY KEY (task_id, role, pos)
) WITHOUT ROWID;
CREATE INDEX task_owners_unit ON task_owners (unit_id, task_id);
CREATE INDEX task_owners_leader ON task_owners (leader_id, task_id);

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
CREATE INDEX statements_plan ON statements (plan_id, state);

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
);
CREATE INDEX users_unit ON users (unit_id);

-- The audit log: append-only (the triggers refuse changes), each event
-- carrying the hash of the one before (duban.AuditEvent.ComputeHash).
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
CREATE INDEX audit_events_entity ON audit_events (entity, entity_id, seq);
CREATE INDEX audit_events_plan ON audit_events (plan_id, seq);

-- The chain's head: the last event's number and hash. Every write
-- transaction locks it first, so that events are appended one after another,
-- and verification compares the chain's end with it, so that deleting the
-- newest events is found.
CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  INTEGER NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
	SELECT RAISE(ABORT, 'audit_head cannot be deleted');
END;
