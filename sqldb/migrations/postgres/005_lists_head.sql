-- The version of what lists show (ListsHead): the latest event that is not
-- a comment, found at the end of this index rather than by reading back
-- over the comments of a busy week. The store's query has the same
-- predicate, so that the database uses the index.
CREATE INDEX audit_events_lists ON audit_events (seq) WHERE action <> 'task.comment';
