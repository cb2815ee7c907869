-- columns
api_tokens.id bigint NOT NULL IDENTITY ALWAYS
api_tokens.user_id bigint NOT NULL
api_tokens.name text NOT NULL
api_tokens.prefix text NOT NULL
api_tokens.token_hash text NOT NULL
api_tokens.created_at timestamp with time zone NOT NULL
api_tokens.last_used_at timestamp with time zone
api_tokens.revoked_at timestamp with time zone
areas.plan_id bigint NOT NULL
areas.section integer NOT NULL
areas.no integer NOT NULL
areas.title text NOT NULL
audit_events.seq bigint NOT NULL
audit_events.at timestamp with time zone NOT NULL
audit_events.actor_id bigint
audit_events.actor text NOT NULL
audit_events.action text NOT NULL
audit_events.entity text NOT NULL
audit_events.entity_id bigint NOT NULL
audit_events.plan_id bigint
audit_events.summary text NOT NULL
audit_events.before_json text NOT NULL DEFAULT ''::text
audit_events.after_json text NOT NULL DEFAULT ''::text
audit_events.prev_hash text NOT NULL
audit_events.hash text NOT NULL
audit_head.id integer NOT NULL
audit_head.seq bigint NOT NULL
audit_head.hash text NOT NULL
bulletins.period_id bigint NOT NULL
bulletins.number text NOT NULL DEFAULT ''::text
bulletins.addressee text NOT NULL DEFAULT ''::text
bulletins.opening text NOT NULL
bulletins.closing text NOT NULL
bulletins.signature text NOT NULL DEFAULT ''::text
bulletins.updated_by text NOT NULL
bulletins.updated_at timestamp with time zone NOT NULL
calendar_overrides.day text NOT NULL
calendar_overrides.workday boolean NOT NULL
calendar_overrides.name text NOT NULL
calendar_overrides.set_by text NOT NULL
calendar_overrides.set_at timestamp with time zone NOT NULL
channels.id bigint NOT NULL IDENTITY ALWAYS
channels.name text NOT NULL
channels.kind text NOT NULL
channels.unit_id bigint
channels.plan_id bigint
channels.url text NOT NULL DEFAULT ''::text
channels.smtp_addr text NOT NULL DEFAULT ''::text
channels.username text NOT NULL DEFAULT ''::text
channels.mail_from text NOT NULL DEFAULT ''::text
channels.mail_to text NOT NULL DEFAULT ''::text
channels.secret text NOT NULL DEFAULT ''::text
channels.enabled boolean NOT NULL DEFAULT true
channels.created_at timestamp with time zone NOT NULL
channels.updated_at timestamp with time zone NOT NULL
closures.id bigint NOT NULL IDENTITY ALWAYS
closures.plan_id bigint NOT NULL
closures.task_id bigint NOT NULL
closures.unit_id bigint NOT NULL
closures.state text NOT NULL
closures.note text NOT NULL
closures.evidence text NOT NULL DEFAULT '[]'::text
closures.reason text NOT NULL DEFAULT ''::text
closures.requested_by text NOT NULL
closures.requested_at timestamp with time zone NOT NULL
closures.decided_by text NOT NULL DEFAULT ''::text
closures.decided_at timestamp with time zone
comments.id bigint NOT NULL IDENTITY ALWAYS
comments.task_id bigint NOT NULL
comments.plan_id bigint NOT NULL
comments.author_id bigint
comments.author text NOT NULL
comments.author_role text NOT NULL
comments.text text NOT NULL
comments.created_at timestamp with time zone NOT NULL
cycle_settings.plan_id bigint NOT NULL
cycle_settings.settings text NOT NULL
cycle_settings.updated_at timestamp with time zone NOT NULL
deliveries.id bigint NOT NULL IDENTITY ALWAYS
deliveries.channel_id bigint
deliveries.channel_name text NOT NULL
deliveries.channel_kind text NOT NULL
deliveries.dedup_key text NOT NULL
deliveries.event text NOT NULL
deliveries.unit_id bigint
deliveries.plan_id bigint
deliveries.subject text NOT NULL
deliveries.body text NOT NULL
deliveries.link text NOT NULL DEFAULT ''::text
deliveries.state text NOT NULL
deliveries.attempts integer NOT NULL DEFAULT 0
deliveries.next_attempt_at timestamp with time zone NOT NULL
deliveries.last_error text NOT NULL DEFAULT ''::text
deliveries.lease_owner text NOT NULL DEFAULT ''::text
deliveries.lease_until timestamp with time zone
deliveries.created_at timestamp with time zone NOT NULL
deliveries.updated_at timestamp with time zone NOT NULL
deliveries.sent_at timestamp with time zone
evidence.sha256 text NOT NULL
evidence.name text NOT NULL
evidence.size integer NOT NULL
evidence.type text NOT NULL DEFAULT ''::text
evidence.uploaded_by text NOT NULL
evidence.uploaded_at timestamp with time zone NOT NULL
form_drafts.id bigint NOT NULL IDENTITY ALWAYS
form_drafts.secret_hash text NOT NULL
form_drafts.user_id bigint
form_drafts.page text NOT NULL
form_drafts.action text NOT NULL
form_drafts.fields text NOT NULL
form_drafts.created_at timestamp with time zone NOT NULL
form_drafts.expires_at timestamp with time zone NOT NULL
leaders.id bigint NOT NULL IDENTITY ALWAYS
leaders.name text NOT NULL
leaders.title text NOT NULL DEFAULT ''::text
leaders.created_at timestamp with time zone NOT NULL
leaders.updated_at timestamp with time zone NOT NULL
leaders.ord integer NOT NULL DEFAULT 0
light_counts.period_id bigint NOT NULL
light_counts.status text NOT NULL
light_counts.tasks integer NOT NULL
light_days.period_id bigint NOT NULL
light_days.as_of text NOT NULL
light_days.computed_at timestamp with time zone NOT NULL
light_moves.seq bigint NOT NULL DEFAULT nextval('light_moves_seq_seq'::regclass)
light_moves.task_id bigint
lights.period_id bigint NOT NULL
lights.task_id bigint NOT NULL
lights.plan_id bigint NOT NULL
lights.status text NOT NULL
lights.reason text NOT NULL
lights.reason_en text NOT NULL
lights.completion integer NOT NULL
lights.expected integer NOT NULL
lights.digest bigint NOT NULL
lights.reached text NOT NULL DEFAULT ''::text
lights.timeline text NOT NULL DEFAULT ''::text
login_attempts.id bigint NOT NULL IDENTITY ALWAYS
login_attempts.account text NOT NULL
login_attempts.address text NOT NULL
login_attempts.at timestamp with time zone NOT NULL
notifications.id bigint NOT NULL IDENTITY ALWAYS
notifications.user_id bigint
notifications.unit_id bigint
notifications.office boolean NOT NULL DEFAULT false
notifications.kind text NOT NULL
notifications.text text NOT NULL
notifications.text_en text NOT NULL DEFAULT ''::text
notifications.link text NOT NULL DEFAULT ''::text
notifications.dedup_key text
notifications.created_at timestamp with time zone NOT NULL
notifications.read_at timestamp with time zone
periods.id bigint NOT NULL IDENTITY ALWAYS
periods.plan_id bigint NOT NULL
periods.seq integer NOT NULL
periods.label text NOT NULL
periods.start_day text NOT NULL
periods.end_day text NOT NULL
periods.due text NOT NULL
periods.scheduled text NOT NULL
periods.due_note text NOT NULL DEFAULT ''::text
periods.due_note_en text NOT NULL DEFAULT ''::text
periods.state text NOT NULL
periods.reopened integer NOT NULL DEFAULT 0
periods.opened_at timestamp with time zone
periods.closed_at timestamp with time zone
periods.created_at timestamp with time zone NOT NULL
periods.updated_at timestamp with time zone NOT NULL
plan_sources.plan_id bigint NOT NULL
plan_sources.issue integer NOT NULL
plan_sources.name text NOT NULL
plan_sources.sha256 text NOT NULL
plan_sources.data bytea NOT NULL
plan_sources.imported_at timestamp with time zone NOT NULL
plan_warnings.plan_id bigint NOT NULL
plan_warnings.issue integer NOT NULL
plan_warnings.pos integer NOT NULL
plan_warnings.line integer NOT NULL
plan_warnings.code text NOT NULL
plan_warnings.message text NOT NULL
plans.id bigint NOT NULL IDENTITY ALWAYS
plans.region text NOT NULL DEFAULT ''::text
plans.year integer NOT NULL
plans.doc_number text NOT NULL DEFAULT ''::text
plans.title text NOT NULL
plans.issuer text NOT NULL DEFAULT ''::text
plans.issued_on text NOT NULL DEFAULT ''::text
plans.state text NOT NULL
plans.created_at timestamp with time zone NOT NULL
plans.updated_at timestamp with time zone NOT NULL
plans.published_at timestamp with time zone
plans.complete boolean NOT NULL DEFAULT true
publication_hidden.task_id bigint NOT NULL
publication_hidden.plan_id bigint NOT NULL
publications.plan_id bigint NOT NULL
publications.public boolean NOT NULL
publications.updated_by text NOT NULL
publications.updated_at timestamp with time zone NOT NULL
report_versions.report_id bigint NOT NULL
report_versions.version integer NOT NULL
report_versions.action text NOT NULL
report_versions.body text NOT NULL
report_versions.saved_by text NOT NULL
report_versions.saved_at timestamp with time zone NOT NULL
reports.id bigint NOT NULL IDENTITY ALWAYS
reports.plan_id bigint NOT NULL
reports.period_id bigint NOT NULL
reports.task_id bigint NOT NULL
reports.unit_id bigint NOT NULL
reports.kind text NOT NULL
reports.state text NOT NULL
reports.progress text NOT NULL DEFAULT ''::text
reports.completion integer NOT NULL DEFAULT 0
reports.actuals text NOT NULL DEFAULT '[]'::text
reports.actual_values text NOT NULL DEFAULT ''::text
reports.problems text NOT NULL DEFAULT ''::text
reports.next_steps text NOT NULL DEFAULT ''::text
reports.evidence text NOT NULL DEFAULT '[]'::text
reports.return_reason text NOT NULL DEFAULT ''::text
reports.version integer NOT NULL
reports.submitted_at timestamp with time zone
reports.reviewed_at timestamp with time zone
reports.reviewer text NOT NULL DEFAULT ''::text
reports.updated_by_id bigint
reports.updated_by text NOT NULL
reports.created_at timestamp with time zone NOT NULL
reports.updated_at timestamp with time zone NOT NULL
schema_migrations.version integer NOT NULL
schema_migrations.name text NOT NULL
schema_migrations.applied_at timestamp with time zone NOT NULL
sections.plan_id bigint NOT NULL
sections.no integer NOT NULL
sections.title text NOT NULL
sessions.id bigint NOT NULL IDENTITY ALWAYS
sessions.token_hash text NOT NULL
sessions.user_id bigint NOT NULL
sessions.address text NOT NULL DEFAULT ''::text
sessions.user_agent text NOT NULL DEFAULT ''::text
sessions.created_at timestamp with time zone NOT NULL
sessions.seen_at timestamp with time zone NOT NULL
sessions.expires_at timestamp with time zone NOT NULL
statements.id bigint NOT NULL IDENTITY ALWAYS
statements.plan_id bigint NOT NULL
statements.section integer NOT NULL
statements.area integer NOT NULL
statements.text text NOT NULL
statements.line integer NOT NULL DEFAULT 0
statements.state text NOT NULL
statements.task_id bigint
statements.note text NOT NULL DEFAULT ''::text
statements.created_at timestamp with time zone NOT NULL
statements.updated_at timestamp with time zone NOT NULL
supervision_tasks.supervision_id bigint NOT NULL
supervision_tasks.task_id bigint NOT NULL
supervision_tasks.pos integer NOT NULL
supervisions.id bigint NOT NULL IDENTITY ALWAYS
supervisions.plan_id bigint NOT NULL
supervisions.year integer NOT NULL
supervisions.seq integer NOT NULL
supervisions.unit_id bigint NOT NULL
supervisions.unit_name text NOT NULL
supervisions.reason text NOT NULL
supervisions.requirement text NOT NULL
supervisions.due text NOT NULL
supervisions.state text NOT NULL
supervisions.answer text NOT NULL DEFAULT ''::text
supervisions.evidence text NOT NULL DEFAULT '[]'::text
supervisions.repeat_of bigint
supervisions.repeated_by bigint
supervisions.issued_by text NOT NULL
supervisions.issued_at timestamp with time zone NOT NULL
supervisions.acknowledged_by text NOT NULL DEFAULT ''::text
supervisions.acknowledged_at timestamp with time zone
supervisions.answered_by text NOT NULL DEFAULT ''::text
supervisions.answered_at timestamp with time zone
supervisions.closed_by text NOT NULL DEFAULT ''::text
supervisions.closed_at timestamp with time zone
supervisions.version integer NOT NULL
supervisions.updated_by text NOT NULL
supervisions.updated_at timestamp with time zone NOT NULL
task_indicators.task_id bigint NOT NULL
task_indicators.pos integer NOT NULL
task_indicators.text text NOT NULL
task_indicators.metric text NOT NULL
task_indicators.value double precision NOT NULL
task_indicators.unit text NOT NULL
task_indicators.cmp text NOT NULL
task_indicators.upper double precision
task_owners.task_id bigint NOT NULL
task_owners.role text NOT NULL
task_owners.pos integer NOT NULL
task_owners.name text NOT NULL
task_owners.unit_id bigint
task_owners.leader_id bigint
task_versions.plan_id bigint NOT NULL
task_versions.version bigint NOT NULL
tasks.id bigint NOT NULL IDENTITY ALWAYS
tasks.plan_id bigint NOT NULL
tasks.section integer NOT NULL
tasks.area integer NOT NULL
tasks.seq integer NOT NULL
tasks.text text NOT NULL
tasks.deadline text NOT NULL DEFAULT ''::text
tasks.line integer NOT NULL DEFAULT 0
tasks.state text NOT NULL
tasks.issued text
tasks.created_at timestamp with time zone NOT NULL
tasks.updated_at timestamp with time zone NOT NULL
tasks.deadline_date text NOT NULL DEFAULT ''::text
tasks.deadline_kind text NOT NULL DEFAULT ''::text
tasks.deadline_steps text NOT NULL DEFAULT ''::text
tasks.version integer NOT NULL DEFAULT 1
tasks.updated_by text NOT NULL DEFAULT ''::text
unit_events.id bigint NOT NULL IDENTITY ALWAYS
unit_events.unit_id bigint NOT NULL
unit_events.at timestamp with time zone NOT NULL
unit_events.kind text NOT NULL
unit_events.from_name text NOT NULL DEFAULT ''::text
unit_events.to_name text NOT NULL DEFAULT ''::text
unit_events.other_id bigint
unit_lights.unit_id bigint NOT NULL
unit_lights.version bigint NOT NULL
unit_members.group_id bigint NOT NULL
unit_members.unit_id bigint NOT NULL
unit_names.name text NOT NULL
unit_names.unit_id bigint NOT NULL
unit_names.kind text NOT NULL
units.id bigint NOT NULL IDENTITY ALWAYS
units.name text NOT NULL
units.kind text NOT NULL
units.merged_into bigint
units.created_at timestamp with time zone NOT NULL
units.updated_at timestamp with time zone NOT NULL
urges.id bigint NOT NULL IDENTITY ALWAYS
urges.plan_id bigint NOT NULL
urges.task_id bigint
urges.unit_id bigint NOT NULL
urges.period_id bigint
urges.message text NOT NULL
urges.by_id bigint
urges.by_name text NOT NULL
urges.at timestamp with time zone NOT NULL
users.id bigint NOT NULL IDENTITY ALWAYS
users.name text NOT NULL
users.display_name text NOT NULL DEFAULT ''::text
users.role text NOT NULL
users.unit_id bigint
users.leader_id bigint
users.disabled boolean NOT NULL DEFAULT false
users.created_at timestamp with time zone NOT NULL
users.updated_at timestamp with time zone NOT NULL
users.password_hash text NOT NULL DEFAULT ''::text

-- constraints
api_tokens api_tokens_pkey PRIMARY KEY (id)
api_tokens api_tokens_token_hash_key UNIQUE (token_hash)
api_tokens api_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id)
areas areas_pkey PRIMARY KEY (plan_id, section, no)
areas areas_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
audit_events audit_events_pkey PRIMARY KEY (seq)
audit_head audit_head_id_check CHECK ((id = 1))
audit_head audit_head_pkey PRIMARY KEY (id)
bulletins bulletins_period_id_fkey FOREIGN KEY (period_id) REFERENCES periods(id)
bulletins bulletins_pkey PRIMARY KEY (period_id)
calendar_overrides calendar_overrides_pkey PRIMARY KEY (day)
channels channels_kind_check CHECK ((kind = ANY (ARRAY['webhook'::text, 'wecom'::text, 'dingtalk'::text, 'smtp'::text])))
channels channels_pkey PRIMARY KEY (id)
channels channels_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
channels channels_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)
closures closures_pkey PRIMARY KEY (id)
closures closures_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
closures closures_state_check CHECK ((state = ANY (ARRAY['requested'::text, 'closed'::text, 'declined'::text])))
closures closures_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks(id)
closures closures_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)
comments comments_author_id_fkey FOREIGN KEY (author_id) REFERENCES users(id)
comments comments_pkey PRIMARY KEY (id)
comments comments_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
comments comments_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks(id)
cycle_settings cycle_settings_pkey PRIMARY KEY (plan_id)
cycle_settings cycle_settings_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
deliveries deliveries_channel_id_fkey FOREIGN KEY (channel_id) REFERENCES channels(id) ON DELETE SET NULL
deliveries deliveries_dedup_key_key UNIQUE (dedup_key)
deliveries deliveries_pkey PRIMARY KEY (id)
deliveries deliveries_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'sending'::text, 'sent'::text, 'failed'::text])))
evidence evidence_pkey PRIMARY KEY (sha256)
form_drafts form_drafts_pkey PRIMARY KEY (id)
form_drafts form_drafts_secret_hash_key UNIQUE (secret_hash)
form_drafts form_drafts_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id)
leaders leaders_name_key UNIQUE (name)
leaders leaders_pkey PRIMARY KEY (id)
light_counts light_counts_period_id_fkey FOREIGN KEY (period_id) REFERENCES periods(id)
light_counts light_counts_pkey PRIMARY KEY (period_id, status)
light_days light_days_period_id_fkey FOREIGN KEY (period_id) REFERENCES periods(id)
light_days light_days_pkey PRIMARY KEY (period_id)
light_moves light_moves_pkey PRIMARY KEY (seq)
lights lights_period_id_fkey FOREIGN KEY (period_id) REFERENCES periods(id)
lights lights_pkey PRIMARY KEY (period_id, task_id)
lights lights_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
lights lights_status_check CHECK ((status = ANY (ARRAY['closed'::text, 'done'::text, 'normal'::text, 'lagging'::text, 'severe'::text, 'missing'::text, 'not_started'::text])))
lights lights_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks(id)
login_attempts login_attempts_pkey PRIMARY KEY (id)
notifications notifications_dedup_key_key UNIQUE (dedup_key)
notifications notifications_pkey PRIMARY KEY (id)
notifications notifications_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)
notifications notifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id)
periods periods_pkey PRIMARY KEY (id)
periods periods_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
periods periods_plan_id_seq_key UNIQUE (plan_id, seq)
periods periods_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'open'::text, 'closed'::text])))
plan_sources plan_sources_pkey PRIMARY KEY (plan_id, issue)
plan_sources plan_sources_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
plan_sources plan_sources_sha256_key UNIQUE (sha256)
plan_warnings plan_warnings_pkey PRIMARY KEY (plan_id, issue, pos)
plan_warnings plan_warnings_plan_id_issue_fkey FOREIGN KEY (plan_id, issue) REFERENCES plan_sources(plan_id, issue)
plans plans_pkey PRIMARY KEY (id)
plans plans_state_check CHECK ((state = ANY (ARRAY['draft'::text, 'published'::text, 'archived'::text])))
publication_hidden publication_hidden_pkey PRIMARY KEY (task_id)
publication_hidden publication_hidden_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
publication_hidden publication_hidden_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks(id)
publications publications_pkey PRIMARY KEY (plan_id)
publications publications_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
report_versions report_versions_pkey PRIMARY KEY (report_id, version)
report_versions report_versions_report_id_fkey FOREIGN KEY (report_id) REFERENCES reports(id)
reports reports_kind_check CHECK ((kind = ANY (ARRAY['part'::text, 'task'::text])))
reports reports_period_id_fkey FOREIGN KEY (period_id) REFERENCES periods(id)
reports reports_period_id_task_id_unit_id_kind_key UNIQUE (period_id, task_id, unit_id, kind)
reports reports_pkey PRIMARY KEY (id)
reports reports_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
reports reports_state_check CHECK ((state = ANY (ARRAY['draft'::text, 'submitted'::text, 'returned'::text, 'resubmitted'::text, 'accepted'::text])))
reports reports_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks(id)
reports reports_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)
schema_migrations schema_migrations_pkey PRIMARY KEY (version)
sections sections_pkey PRIMARY KEY (plan_id, no)
sections sections_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
sessions sessions_pkey PRIMARY KEY (id)
sessions sessions_token_hash_key UNIQUE (token_hash)
sessions sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id)
statements statements_pkey PRIMARY KEY (id)
statements statements_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
statements statements_state_check CHECK ((state = ANY (ARRAY['open'::text, 'assigned'::text, 'dismissed'::text])))
statements statements_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks(id)
supervision_tasks supervision_tasks_pkey PRIMARY KEY (supervision_id, task_id)
supervision_tasks supervision_tasks_supervision_id_fkey FOREIGN KEY (supervision_id) REFERENCES supervisions(id)
supervision_tasks supervision_tasks_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks(id)
supervisions supervisions_pkey PRIMARY KEY (id)
supervisions supervisions_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
supervisions supervisions_repeat_of_fkey FOREIGN KEY (repeat_of) REFERENCES supervisions(id)
supervisions supervisions_repeated_by_fkey FOREIGN KEY (repeated_by) REFERENCES supervisions(id)
supervisions supervisions_state_check CHECK ((state = ANY (ARRAY['issued'::text, 'acknowledged'::text, 'answered'::text, 'closed'::text, 'reissued'::text])))
supervisions supervisions_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)
supervisions supervisions_year_seq_key UNIQUE (year, seq)
task_indicators task_indicators_pkey PRIMARY KEY (task_id, pos)
task_indicators task_indicators_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks(id) ON DELETE CASCADE
task_owners task_owners_leader_id_fkey FOREIGN KEY (leader_id) REFERENCES leaders(id)
task_owners task_owners_pkey PRIMARY KEY (task_id, role, pos)
task_owners task_owners_role_check CHECK ((role = ANY (ARRAY['lead_leader'::text, 'lead_unit'::text, 'responsible'::text])))
task_owners task_owners_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks(id) ON DELETE CASCADE
task_owners task_owners_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)
task_versions task_versions_pkey PRIMARY KEY (plan_id)
tasks tasks_pkey PRIMARY KEY (id)
tasks tasks_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
tasks tasks_state_check CHECK ((state = ANY (ARRAY['active'::text, 'withdrawn'::text])))
unit_events unit_events_kind_check CHECK ((kind = ANY (ARRAY['created'::text, 'renamed'::text, 'merged_in'::text, 'merged_into'::text, 'alias'::text])))
unit_events unit_events_other_id_fkey FOREIGN KEY (other_id) REFERENCES units(id)
unit_events unit_events_pkey PRIMARY KEY (id)
unit_events unit_events_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)
unit_lights unit_lights_pkey PRIMARY KEY (unit_id)
unit_lights unit_lights_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)
unit_members unit_members_group_id_fkey FOREIGN KEY (group_id) REFERENCES units(id)
unit_members unit_members_pkey PRIMARY KEY (group_id, unit_id)
unit_members unit_members_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)
unit_names unit_names_kind_check CHECK ((kind = ANY (ARRAY['name'::text, 'alias'::text])))
unit_names unit_names_pkey PRIMARY KEY (name)
unit_names unit_names_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)
units units_kind_check CHECK ((kind = ANY (ARRAY['department'::text, 'street'::text, 'company'::text, 'group'::text])))
units units_merged_into_fkey FOREIGN KEY (merged_into) REFERENCES units(id)
units units_pkey PRIMARY KEY (id)
urges urges_period_id_fkey FOREIGN KEY (period_id) REFERENCES periods(id)
urges urges_pkey PRIMARY KEY (id)
urges urges_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans(id)
urges urges_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks(id)
urges urges_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)
users users_leader_id_fkey FOREIGN KEY (leader_id) REFERENCES leaders(id)
users users_name_key UNIQUE (name)
users users_pkey PRIMARY KEY (id)
users users_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'leader'::text, 'clerk'::text, 'viewer'::text])))
users users_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units(id)

-- indexes
CREATE UNIQUE INDEX api_tokens_pkey ON api_tokens USING btree (id)
CREATE UNIQUE INDEX api_tokens_token_hash_key ON api_tokens USING btree (token_hash)
CREATE INDEX api_tokens_user ON api_tokens USING btree (user_id, id)
CREATE UNIQUE INDEX areas_pkey ON areas USING btree (plan_id, section, no)
CREATE INDEX audit_events_entity ON audit_events USING btree (entity, entity_id, seq)
CREATE INDEX audit_events_lists ON audit_events USING btree (seq) WHERE (action <> 'task.comment'::text)
CREATE UNIQUE INDEX audit_events_pkey ON audit_events USING btree (seq)
CREATE INDEX audit_events_plan ON audit_events USING btree (plan_id, seq)
CREATE INDEX audit_events_tasks ON audit_events USING btree (seq) WHERE (action <> ALL (ARRAY['task.comment'::text, 'report.save'::text, 'report.submit'::text, 'report.resubmit'::text, 'report.return'::text, 'report.accept'::text]))
CREATE UNIQUE INDEX audit_head_pkey ON audit_head USING btree (id)
CREATE UNIQUE INDEX bulletins_pkey ON bulletins USING btree (period_id)
CREATE UNIQUE INDEX calendar_overrides_pkey ON calendar_overrides USING btree (day)
CREATE UNIQUE INDEX channels_pkey ON channels USING btree (id)
CREATE INDEX channels_plan ON channels USING btree (plan_id)
CREATE INDEX channels_unit ON channels USING btree (unit_id)
CREATE UNIQUE INDEX closures_pkey ON closures USING btree (id)
CREATE UNIQUE INDEX closures_standing ON closures USING btree (task_id) WHERE (state = ANY (ARRAY['requested'::text, 'closed'::text]))
CREATE INDEX closures_task ON closures USING btree (task_id, id)
CREATE UNIQUE INDEX comments_pkey ON comments USING btree (id)
CREATE INDEX comments_plan ON comments USING btree (plan_id, id)
CREATE INDEX comments_task ON comments USING btree (task_id, id)
CREATE UNIQUE INDEX cycle_settings_pkey ON cycle_settings USING btree (plan_id)
CREATE INDEX deliveries_channel ON deliveries USING btree (channel_id, id)
CREATE UNIQUE INDEX deliveries_dedup_key_key ON deliveries USING btree (dedup_key)
CREATE INDEX deliveries_due ON deliveries USING btree (next_attempt_at) WHERE (state = 'pending'::text)
CREATE INDEX deliveries_lease ON deliveries USING btree (lease_until) WHERE (state = 'sending'::text)
CREATE UNIQUE INDEX deliveries_pkey ON deliveries USING btree (id)
CREATE INDEX deliveries_unit ON deliveries USING btree (unit_id, id)
CREATE UNIQUE INDEX evidence_pkey ON evidence USING btree (sha256)
CREATE INDEX form_drafts_expires ON form_drafts USING btree (expires_at)
CREATE UNIQUE INDEX form_drafts_pkey ON form_drafts USING btree (id)
CREATE UNIQUE INDEX form_drafts_secret_hash_key ON form_drafts USING btree (secret_hash)
CREATE UNIQUE INDEX leaders_name_key ON leaders USING btree (name)
CREATE UNIQUE INDEX leaders_pkey ON leaders USING btree (id)
CREATE UNIQUE INDEX light_counts_pkey ON light_counts USING btree (period_id, status)
CREATE UNIQUE INDEX light_days_pkey ON light_days USING btree (period_id)
CREATE UNIQUE INDEX light_moves_pkey ON light_moves USING btree (seq)
CREATE UNIQUE INDEX lights_pkey ON lights USING btree (period_id, task_id)
CREATE INDEX lights_plan ON lights USING btree (plan_id)
CREATE INDEX lights_task ON lights USING btree (task_id, period_id)
CREATE INDEX login_attempts_address ON login_attempts USING btree (address, at)
CREATE INDEX login_attempts_at ON login_attempts USING btree (at)
CREATE INDEX login_attempts_pair ON login_attempts USING btree (account, address, at)
CREATE UNIQUE INDEX login_attempts_pkey ON login_attempts USING btree (id)
CREATE UNIQUE INDEX notifications_dedup_key_key ON notifications USING btree (dedup_key)
CREATE INDEX notifications_office ON notifications USING btree (office, id)
CREATE UNIQUE INDEX notifications_pkey ON notifications USING btree (id)
CREATE INDEX notifications_unit ON notifications USING btree (unit_id, id)
CREATE INDEX notifications_unread_office ON notifications USING btree (office) WHERE (read_at IS NULL)
CREATE INDEX notifications_unread_unit ON notifications USING btree (unit_id) WHERE (read_at IS NULL)
CREATE INDEX notifications_unread_user ON notifications USING btree (user_id) WHERE (read_at IS NULL)
CREATE INDEX notifications_user ON notifications USING btree (user_id, id)
CREATE UNIQUE INDEX periods_pkey ON periods USING btree (id)
CREATE UNIQUE INDEX periods_plan_id_seq_key ON periods USING btree (plan_id, seq)
CREATE UNIQUE INDEX plan_sources_pkey ON plan_sources USING btree (plan_id, issue)
CREATE UNIQUE INDEX plan_sources_sha256_key ON plan_sources USING btree (sha256)
CREATE UNIQUE INDEX plan_warnings_pkey ON plan_warnings USING btree (plan_id, issue, pos)
CREATE INDEX plans_identity ON plans USING btree (region, year, doc_number)
CREATE UNIQUE INDEX plans_pkey ON plans USING btree (id)
CREATE INDEX plans_year ON plans USING btree (year)
CREATE UNIQUE INDEX publication_hidden_pkey ON publication_hidden USING btree (task_id)
CREATE INDEX publication_hidden_plan ON publication_hidden USING btree (plan_id)
CREATE UNIQUE INDEX publications_pkey ON publications USING btree (plan_id)
CREATE UNIQUE INDEX report_versions_pkey ON report_versions USING btree (report_id, version)
CREATE INDEX reports_lights ON reports USING btree (period_id, kind) INCLUDE (task_id, completion, state, actual_values)
CREATE UNIQUE INDEX reports_period_id_task_id_unit_id_kind_key ON reports USING btree (period_id, task_id, unit_id, kind)
CREATE INDEX reports_period_state ON reports USING btree (period_id, state, task_id, unit_id, kind)
CREATE UNIQUE INDEX reports_pkey ON reports USING btree (id)
CREATE INDEX reports_plan ON reports USING btree (plan_id, period_id, state)
CREATE INDEX reports_task ON reports USING btree (task_id, period_id)
CREATE INDEX reports_unit ON reports USING btree (unit_id, period_id)
CREATE UNIQUE INDEX schema_migrations_pkey ON schema_migrations USING btree (version)
CREATE UNIQUE INDEX sections_pkey ON sections USING btree (plan_id, no)
CREATE INDEX sessions_expires ON sessions USING btree (expires_at)
CREATE UNIQUE INDEX sessions_pkey ON sessions USING btree (id)
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions USING btree (token_hash)
CREATE INDEX sessions_user ON sessions USING btree (user_id)
CREATE UNIQUE INDEX statements_pkey ON statements USING btree (id)
CREATE INDEX statements_plan ON statements USING btree (plan_id, state)
CREATE UNIQUE INDEX supervision_tasks_pkey ON supervision_tasks USING btree (supervision_id, task_id)
CREATE INDEX supervision_tasks_task ON supervision_tasks USING btree (task_id)
CREATE UNIQUE INDEX supervisions_pkey ON supervisions USING btree (id)
CREATE INDEX supervisions_plan ON supervisions USING btree (plan_id, id)
CREATE INDEX supervisions_unit ON supervisions USING btree (unit_id, id)
CREATE UNIQUE INDEX supervisions_year_seq_key ON supervisions USING btree (year, seq)
CREATE UNIQUE INDEX task_indicators_pkey ON task_indicators USING btree (task_id, pos)
CREATE INDEX task_owners_leader ON task_owners USING btree (leader_id, task_id)
CREATE UNIQUE INDEX task_owners_pkey ON task_owners USING btree (task_id, role, pos)
CREATE INDEX task_owners_unit ON task_owners USING btree (unit_id, task_id)
CREATE UNIQUE INDEX task_versions_pkey ON task_versions USING btree (plan_id)
CREATE INDEX tasks_deadline ON tasks USING btree (deadline_date)
CREATE UNIQUE INDEX tasks_pkey ON tasks USING btree (id)
CREATE INDEX tasks_plan ON tasks USING btree (plan_id, section, area, seq)
CREATE INDEX tasks_plan_state ON tasks USING btree (plan_id, state)
CREATE UNIQUE INDEX unit_events_pkey ON unit_events USING btree (id)
CREATE INDEX unit_events_unit ON unit_events USING btree (unit_id, id)
CREATE UNIQUE INDEX unit_lights_pkey ON unit_lights USING btree (unit_id)
CREATE UNIQUE INDEX unit_members_pkey ON unit_members USING btree (group_id, unit_id)
CREATE INDEX unit_members_unit ON unit_members USING btree (unit_id, group_id)
CREATE UNIQUE INDEX unit_names_pkey ON unit_names USING btree (name)
CREATE INDEX unit_names_unit ON unit_names USING btree (unit_id)
CREATE UNIQUE INDEX units_pkey ON units USING btree (id)
CREATE UNIQUE INDEX urges_pkey ON urges USING btree (id)
CREATE INDEX urges_plan ON urges USING btree (plan_id, id)
CREATE INDEX urges_unit ON urges USING btree (unit_id, at)
CREATE UNIQUE INDEX users_name_key ON users USING btree (name)
CREATE UNIQUE INDEX users_pkey ON users USING btree (id)
CREATE INDEX users_unit ON users USING btree (unit_id)

-- storage
lights fillfactor=70

-- triggers
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
CREATE TRIGGER task_indicators_move_version AFTER INSERT OR DELETE OR UPDATE ON task_indicators FOR EACH ROW EXECUTE FUNCTION task_indicators_move_version()
CREATE TRIGGER tasks_move_version AFTER INSERT OR DELETE OR UPDATE OF plan_id, state, deadline, deadline_date, deadline_kind, deadline_steps ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_move_version()

-- functions
CREATE OR REPLACE FUNCTION audit_refuse_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$function$
CREATE OR REPLACE FUNCTION task_indicators_move_version()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM task_versions_move(plan_id) FROM tasks WHERE id = OLD.task_id;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		PERFORM task_versions_move(plan_id) FROM tasks WHERE id = NEW.task_id;
	END IF;
	RETURN NULL;
END;
$function$
CREATE OR REPLACE FUNCTION task_versions_move(plan bigint)
 RETURNS void
 LANGUAGE sql
AS $function$
	INSERT INTO task_versions (plan_id, version) VALUES (plan, 1)
		ON CONFLICT (plan_id) DO UPDATE SET version = task_versions.version + 1;
$function$
CREATE OR REPLACE FUNCTION tasks_move_version()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM task_versions_move(OLD.plan_id);
	END IF;
	IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.plan_id <> OLD.plan_id) THEN
		PERFORM task_versions_move(NEW.plan_id);
	END IF;
	RETURN NULL;
END;
$function$

