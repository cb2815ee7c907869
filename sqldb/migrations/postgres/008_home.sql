-- What each person meets first: the members of group terms, the leaders'
-- order, and the forms sent after a session ended.

-- The units a group term (各街道办事处) stands for, as the office keeps them:
-- a task addressed to the group is each member's.
CREATE TABLE unit_members (
	group_id BIGINT NOT NULL REFERENCES units (id),
	unit_id  BIGINT NOT NULL REFERENCES units (id),
	PRIMARY KEY (group_id, unit_id)
);
CREATE INDEX unit_members_unit ON unit_members (unit_id, group_id);

-- A leader's place in lists, as the government ranks its leaders; 0 for
-- none yet, after those placed.
ALTER TABLE leaders ADD COLUMN ord INTEGER NOT NULL DEFAULT 0;

-- What was typed into a form sent after its session ended, until its
-- author signs in again. Only the hash of the browser's secret is kept;
-- user_id is the account whose session ended, NULL when unknown.
CREATE TABLE form_drafts (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	secret_hash TEXT NOT NULL UNIQUE,
	user_id     BIGINT REFERENCES users (id),
	page        TEXT NOT NULL,
	action      TEXT NOT NULL,
	fields      TEXT NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL,
	expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX form_drafts_expires ON form_drafts (expires_at);
