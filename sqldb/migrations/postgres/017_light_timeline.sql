-- The time line over which each light's share expected (序时进度) is
-- counted, kept with the light: its reasons give the share through a mark,
-- and a reader counts it for the light's day (cycle.Light.Expand), so that
-- a day passing no longer rewrites every light whose share moved by a
-- point, only those whose status moves. Lights kept until now have no time
-- line and read with the share they were kept with; their digests, which
-- now leave the share out and take the time line in, differ from those
-- computed, so the next recomputation writes them again, marked.
ALTER TABLE lights ADD COLUMN timeline TEXT NOT NULL DEFAULT '';
