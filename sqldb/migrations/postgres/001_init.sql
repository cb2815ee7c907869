-- The first schema: the directory of units and leaders, plans with their
-- notices, tasks, unassigned statements, users and the audit log.
-- Times are TIMESTAMPTZ.

CREATE TABLE units (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('department', 'street', 'company', 'group')),
	merged_into BIGINT REFERENCES units (id),
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL
);

-- Every name that means a unit, normalised (duban.NormalizeName): its own
-- name and its aliases. The key makes a name mean one unit.
CREATE TABLE unit_names (
	name    TEXT PRIMARY KEY,
	unit_id BIGINT NOT NULL REFERENCES units (id),
	kind    TEXT NOT NULL CHECK (kind IN ('name', 'alias'))
);
CREATE INDEX unit_names_unit ON unit_names (unit_id);

-- Renames and merges, so that a unit's history across years can be told.
CREATE TABLE unit_events (
	id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id   BIGINT NOT NULL REFERENCES units (id),
	at        TIMESTAMPTZ NOT NULL,
	kind      TEXT NOT NULL CHECK (kind IN ('created', 'renamed', 'merged_in', 'merged_into', 'alias')),
	from_name TEXT NOT NULL DEFAULT '',
	to_name   TEXT NOT NULL DEFAULT '',
	other_id  BIGINT REFERENCES units (id)
);
CREATE INDEX unit_events_unit ON unit_events (unit_id, id);

CREATE TABLE leaders (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	title      TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE plans (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	region       TEXT NOT NULL DEFAULT '',
	year         INTEGER NOT NULL,
	doc_number   TEXT NOT NULL DEFAULT '',
	title        TEXT NOT NULL,
	issuer       TEXT NOT NULL DEFAULT '',
	issued_on    TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL CHECK (state IN ('draft', 'published', 'archived')),
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	published_at TIMESTAMPTZ
);
CREATE INDEX plans_year ON plans (year);
CREATE INDEX plans_identity ON plans (region, year, doc_number);

-- Each notice file imported for a plan: the first, then each re-issue. The
-- hash makes importing the same file twice a no-op.
CREATE TABLE plan_sources (
	plan_id     BIGINT NOT NULL REFERENCES plans (id),
	issue       INTEGER NOT NULL,
	name        TEXT NOT NULL,
	sha256      TEXT NOT NULL UNIQUE,
	data        BYTEA NOT NULL,
	imported_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (plan_id, issue)
);

-- The reader's warnings on each notice file, for the office to check.
CREATE TABLE plan_warnings (
	plan_id BIGINT NOT NULL,
	issue   INTEGER NOT NULL,
	pos     INTEGER NOT NULL,
	line    INTEGER NOT NULL,
	code    TEXT NOT NULL,
	message TEXT NOT NULL,
	PRIMARY KEY (plan_id, issue, pos),
	FOREIGN KEY (plan_id, issue) REFERENCES plan_sources (plan_id, issue)
);

CREATE TABLE sections (
	plan_id BIGINT NOT NULL REFERENCES plans (id),
	no      INTEGER NOT NULL,
	title   TEXT NOT NULL,
	PRIMARY KEY (plan_id, no)
);

CREATE TABLE areas (
	plan_id BIGINT NOT NULL REFERENCES plans (id),
	section INTEGER NOT NULL,
	no      INTEGER NOT NULL,
	title   TEXT NOT NULL,
	PRIMARY KEY (plan_id, section, no)
);

-- issued is JSON (duban.IssuedTask): the task as the latest notice states
-- it, what a re-issued notice is compared with. NULL for tasks the office
-- made.
CREATE TABLE tasks (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	plan_id    BIGINT NOT NULL REFERENCES plans (id),
	section    INTEGER NOT NULL,
	area       INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	text       TEXT NOT NULL,
	deadline   TEXT NOT NULL DEFAULT '',
	line       INTEGER NOT NULL DEFAULT 0,
	state      TEXT NOT NULL CHECK (state IN ('active', 'withdrawn')),
	issued     TEXT,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX tasks_plan ON tasks (plan_id, section, area, seq);

-- A task's owners in order: lead leaders, lead units, responsible units.
-- name is as written; unit_id or leader_id is the directory entry it means,
-- NULL while a draft's name is not mapped.
CREATE TABLE task_owners (
	task_id   BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	role      TEXT NOT NULL CHECK (role IN ('lead_leader', 'lead_unit', 'responsible')),
	pos       INTEGER NOT NULL,
	name      TEXT NOT NULL,
	unit_id   BIGINT REFERENCES units (id),
	leader_id BIGINT REFERENCES leaders (id),
	PRIMARY KEY (task_id, role, pos)
);
CREATE INDEX task_owners_unit ON task_owners (unit_id, task_id);
CREATE INDEX task_owners_leader ON task_owners (leader_id, task_id);

CREATE TABLE task_indicators (
	task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	pos     INTEGER NOT NULL,
	text    TEXT NOT NULL,
	metric  TEXT NOT NULL,
	value   DOUBLE PRECISION NOT NULL,
	unit    TEXT NOT NULL,
	cmp     TEXT NOT NULL,
	upper   DOUBLE PRECISION,
	PRIMARY KEY (task_id, pos)
);

CREATE TABLE statements (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	plan_id    BIGINT NOT NULL REFERENCES plans (id),
	section    INTEGER NOT NULL,
	area       INTEGER NOT NULL,
	text       TEXT NOT NULL,
	line       INTEGER NOT NULL DEFAULT 0,
	state      TEXT NOT NULL CHECK (state IN ('open', 'assigned', 'dismissed')),
	task_id    BIGINT REFERENCES tasks (id),
	note       TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX statements_plan ON statements (plan_id, state);

CREATE TABLE users (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	role         TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'clerk', 'viewer')),
	unit_id      BIGINT REFERENCES units (id),
	leader_id    BIGINT REFERENCES leaders (id),
	disabled     BOOLEAN NOT NULL DEFAULT false,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX users_unit ON users (unit_id);

-- The audit log: append-only (the triggers refuse changes), each event
-- carrying the hash of the one before (duban.AuditEvent.ComputeHash).
CREATE TABLE audit_events (
	seq         BIGINT PRIMARY KEY,
	at          TIMESTAMPTZ NOT NULL,
	actor_id    BIGINT,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	entity      TEXT NOT NULL,
	entity_id   BIGINT NOT NULL,
	plan_id     BIGINT,
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
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
	FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
	FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
	FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
	FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
