-- The tasks whose lights moved, in the order they moved: a row for each
-- task of each write that moves the units' lights (unit_lights), or one
-- with no task when every unit's moved. A page of a unit's tasks kept at an
-- older version reads the rows after the one it was kept at and reads
-- again the lights of its tasks among them, rather than all of its
-- lights. The oldest rows are deleted: a page older than the oldest row
-- kept reads all of its lights.
CREATE TABLE light_moves (
	seq BIGSERIAL PRIMARY KEY,
	task_id BIGINT
);
