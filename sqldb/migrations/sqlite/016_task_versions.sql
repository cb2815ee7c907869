-- A version of each plan's tasks as the lights read them (states,
-- deadlines, targets), moved by triggers on every change to them, however
-- it is made: a recomputation of the lights keeps the tasks it read by plan
-- and reads them again only once their version moved. A plan without a row
-- has its tasks unchanged since this migration.
CREATE TABLE task_versions (
	plan_id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL
);

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

CREATE TRIGGER tasks_delete_version AFTER DELETE ON tasks BEGIN
	INSERT INTO task_versions (plan_id, version) VALUES (OLD.plan_id, 1)
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

CREATE TRIGGER task_indicators_delete_version AFTER DELETE ON task_indicators BEGIN
	INSERT INTO task_versions (plan_id, version) SELECT plan_id, 1 FROM tasks WHERE id = OLD.task_id
		ON CONFLICT (plan_id) DO UPDATE SET version = version + 1;
END;
