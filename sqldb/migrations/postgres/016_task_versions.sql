-- A version of each plan's tasks as the lights read them (states,
-- deadlines, targets), moved by triggers on every change to them, however
-- it is made: a recomputation of the lights keeps the tasks it read by plan
-- and reads them again only once their version moved. A plan without a row
-- has its tasks unchanged since this migration.
CREATE TABLE task_versions (
	plan_id BIGINT PRIMARY KEY,
	version BIGINT NOT NULL
);

CREATE FUNCTION task_versions_move(plan BIGINT) RETURNS void LANGUAGE sql AS $$
	INSERT INTO task_versions (plan_id, version) VALUES (plan, 1)
		ON CONFLICT (plan_id) DO UPDATE SET version = task_versions.version + 1;
$$;

CREATE FUNCTION tasks_move_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM task_versions_move(OLD.plan_id);
	END IF;
	IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.plan_id <> OLD.plan_id) THEN
		PERFORM task_versions_move(NEW.plan_id);
	END IF;
	RETURN NULL;
END;
$$;

CREATE FUNCTION task_indicators_move_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM task_versions_move(plan_id) FROM tasks WHERE id = OLD.task_id;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		PERFORM task_versions_move(plan_id) FROM tasks WHERE id = NEW.task_id;
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER tasks_move_version AFTER INSERT OR DELETE OR UPDATE OF plan_id, state, deadline, deadline_date, deadline_kind, deadline_steps
	ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_move_version();

CREATE TRIGGER task_indicators_move_version AFTER INSERT OR UPDATE OR DELETE
	ON task_indicators FOR EACH ROW EXECUTE FUNCTION task_indicators_move_version();
