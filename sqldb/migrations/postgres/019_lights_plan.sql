-- The lights' plan index no longer holds their status, so that a light
-- whose status moves is written over in place like one whose words move
-- (on PostgreSQL a HOT update; SQLite leaves the index alone) rather than
-- moved within the index too: when a due date passes or a plan's
-- thresholds change, thousands of statuses move at once. Lights are read
-- by period or by task; only the API's list asks for a plan's lights of a
-- status, a few thousand read by plan and kept by status.
DROP INDEX lights_plan;
CREATE INDEX lights_plan ON lights (plan_id);
