-- The unread notifications of a user, a unit and the office, which the bell
-- counts on every page: an office that reads none of its notifications
-- has tens of thousands of them, which the indexes of 007 would walk row by
-- row.
CREATE INDEX notifications_unread_user ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_unread_unit ON notifications (unit_id) WHERE read_at IS NULL;
CREATE INDEX notifications_unread_office ON notifications (office) WHERE read_at IS NULL;
