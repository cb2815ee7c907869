-- Counting a plan's tasks in force (every list of plans does, for each
-- plan) reads this index alone instead of every task's row.
CREATE INDEX tasks_plan_state ON tasks (plan_id, state);
