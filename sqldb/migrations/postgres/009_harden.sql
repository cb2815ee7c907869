-- Sign-in attempts replace failed sign-ins. An attempt is written before
-- its password is hashed, so that guesses sent at once are counted as they
-- come, on every server; a right password deletes its pair's attempts, so
-- what remains are failures. account is the sign-in name as given, lower
-- case; the pair (account, address) is what is paused, and the address's
-- failures at any accounts are counted too.
DROP TABLE login_failures;
CREATE TABLE login_attempts (
	id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account TEXT NOT NULL,
	address TEXT NOT NULL,
	at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_attempts_pair ON login_attempts (account, address, at);
CREATE INDEX login_attempts_address ON login_attempts (address, at);
CREATE INDEX login_attempts_at ON login_attempts (at);

-- A plan is imported in bounded transactions, so that other writers wait
-- for one chunk rather than the whole notice: it is written incomplete and
-- made complete, with its audit event, by the last. Nothing reads an
-- incomplete plan, and an import that fails removes it.
ALTER TABLE plans ADD COLUMN complete BOOLEAN NOT NULL DEFAULT true;
