-- Outbound channels and the table of delivery jobs every server drains.

-- A way out of duban the office sets: a webhook, a WeCom or DingTalk group
-- robot, or mail. unit_id and plan_id scope it (NULL for any). secret is the
-- webhook's or robot's signing key or the mail password; it is never shown.
-- mail_to holds the recipients one a line.
CREATE TABLE channels (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('webhook', 'wecom', 'dingtalk', 'smtp')),
	unit_id    BIGINT REFERENCES units (id),
	plan_id    BIGINT REFERENCES plans (id),
	url        TEXT NOT NULL DEFAULT '',
	smtp_addr  TEXT NOT NULL DEFAULT '',
	username   TEXT NOT NULL DEFAULT '',
	mail_from  TEXT NOT NULL DEFAULT '',
	mail_to    TEXT NOT NULL DEFAULT '',
	secret     TEXT NOT NULL DEFAULT '',
	enabled    BOOLEAN NOT NULL DEFAULT true,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX channels_unit ON channels (unit_id);
CREATE INDEX channels_plan ON channels (plan_id);

-- One message through one channel. dedup_key makes it once-only: every
-- server inserts with ON CONFLICT DO NOTHING. A drainer claims due jobs by
-- setting lease_owner and lease_until; a job whose lease ran out is due
-- again. The channel's name and kind are kept for the log, which outlives a
-- deleted channel.
CREATE TABLE deliveries (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	channel_id      BIGINT REFERENCES channels (id) ON DELETE SET NULL,
	channel_name    TEXT NOT NULL,
	channel_kind    TEXT NOT NULL,
	dedup_key       TEXT NOT NULL UNIQUE,
	event           TEXT NOT NULL,
	unit_id         BIGINT,
	plan_id         BIGINT,
	subject         TEXT NOT NULL,
	body            TEXT NOT NULL,
	link            TEXT NOT NULL DEFAULT '',
	state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TIMESTAMPTZ NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	lease_owner     TEXT NOT NULL DEFAULT '',
	lease_until     TIMESTAMPTZ,
	created_at      TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL,
	sent_at         TIMESTAMPTZ
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_lease ON deliveries (lease_until) WHERE state = 'sending';
CREATE INDEX deliveries_channel ON deliveries (channel_id, id);
CREATE INDEX deliveries_unit ON deliveries (unit_id, id);
