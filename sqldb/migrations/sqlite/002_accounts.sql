-- Signing in: passwords, sessions, failed sign-ins and API tokens. They live
-- in the database so that several servers behind a balancer share them.

-- An argon2id hash in PHC format (package auth); '' for an account that has
-- no password yet and cannot sign in.
ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';

-- A signed-in browser. Only the hash of the browser's token is kept.
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
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Each failed sign-in, once under the account's name and once under the
-- address it came from ('account:NAME', 'address:ADDR'); the recent ones are
-- counted to throttle guessing.
CREATE TABLE login_failures (
	id      INTEGER PRIMARY KEY,
	subject TEXT NOT NULL,
	at      TEXT NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, at);

-- A script's token. Only the hash of the secret is kept, and its first
-- characters to tell tokens apart.
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
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);
