-- A stopped run (POST /pipelines/{id}/stop, a schedule's Replace): KILLED from the attempt it was stopped at, until a
-- retry starts a newer one. The stages learn of the stop from the run's marker in the artifact store (RunStop).
ALTER TABLE run ADD COLUMN stopped_attempt INTEGER;
ALTER TABLE run ADD COLUMN stopped_by TEXT;
