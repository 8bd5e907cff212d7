-- The publishing queue on PostgreSQL is graphile-worker (server/src/jobs/queue.ts): a post has
-- a job keyed 'publish:<post id>' to run at its scheduled_at exactly while it is scheduled,
-- and a transient failure's retry is a job under the same key. Triggers keep the jobs in step
-- with the rows in the writer's own transaction, so every writer — the API, the collab
-- save-back that sends an edited post back to review, cascade deletes, a psql session — moves
-- or removes the job without knowing the queue exists.
--
-- Where graphile-worker's schema is absent (embedded PGlite, which cannot run it) the triggers
-- do nothing and the polling runner finds due posts straight from the table instead.
-- Statement-level with transition tables: a bulk schedule of 10,000 posts is one add_jobs.

CREATE FUNCTION chorus_publish_jobs_added() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
BEGIN
  IF to_regnamespace('graphile_worker') IS NULL THEN RETURN NULL; END IF;
  PERFORM graphile_worker.add_jobs(array_agg(ROW(
    'publish_post', json_build_object('postId', n.id), NULL, n.scheduled_at, NULL, 'publish:' || n.id, NULL, NULL
  )::graphile_worker.job_spec))
  FROM new_rows n
  WHERE n.status = 'scheduled'
  HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE FUNCTION chorus_publish_jobs_changed() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
BEGIN
  IF to_regnamespace('graphile_worker') IS NULL THEN RETURN NULL; END IF;
  -- Newly scheduled, or moved: the job (re)placed at the new time.
  PERFORM graphile_worker.add_jobs(array_agg(ROW(
    'publish_post', json_build_object('postId', n.id), NULL, n.scheduled_at, NULL, 'publish:' || n.id, NULL, NULL
  )::graphile_worker.job_spec))
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE n.status = 'scheduled' AND (o.status <> 'scheduled' OR o.scheduled_at IS DISTINCT FROM n.scheduled_at)
  HAVING count(*) > 0;
  -- Unscheduled (cancelled, back to review, …): the job goes. 'publishing' is the job's own
  -- claim, so it keeps running.
  PERFORM graphile_worker.remove_job('publish:' || n.id)
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE o.status = 'scheduled' AND n.status NOT IN ('scheduled', 'publishing');
  RETURN NULL;
END $$;

CREATE FUNCTION chorus_publish_jobs_removed() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
BEGIN
  IF to_regnamespace('graphile_worker') IS NULL THEN RETURN NULL; END IF;
  PERFORM graphile_worker.remove_job('publish:' || o.id) FROM old_rows o WHERE o.status IN ('scheduled', 'publishing');
  RETURN NULL;
END $$;

CREATE TRIGGER scheduled_posts_publish_jobs_ins AFTER INSERT ON scheduled_posts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chorus_publish_jobs_added();
CREATE TRIGGER scheduled_posts_publish_jobs_upd AFTER UPDATE ON scheduled_posts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chorus_publish_jobs_changed();
CREATE TRIGGER scheduled_posts_publish_jobs_del AFTER DELETE ON scheduled_posts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION chorus_publish_jobs_removed();

-- A transient failure's retry: the attempt's next_attempt_at becomes the job's time.
CREATE FUNCTION chorus_publish_retry_job() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
BEGIN
  IF to_regnamespace('graphile_worker') IS NULL THEN RETURN NULL; END IF;
  PERFORM graphile_worker.add_job('publish_post', json_build_object('postId', NEW.scheduled_post_id),
    run_at => NEW.next_attempt_at, job_key => 'publish:' || NEW.scheduled_post_id);
  RETURN NULL;
END $$;

CREATE TRIGGER post_publishing_retry_job AFTER UPDATE OF next_attempt_at ON post_publishing
  FOR EACH ROW WHEN (NEW.next_attempt_at IS NOT NULL AND NEW.next_attempt_at IS DISTINCT FROM OLD.next_attempt_at)
  EXECUTE FUNCTION chorus_publish_retry_job();

-- Posts scheduled before the queue existed get their jobs now (graphile-worker's schema is
-- installed before these migrations run).
DO $$
BEGIN
  IF to_regnamespace('graphile_worker') IS NULL THEN RETURN; END IF;
  PERFORM graphile_worker.add_jobs(array_agg(ROW(
    'publish_post', json_build_object('postId', p.id), NULL, p.scheduled_at, NULL, 'publish:' || p.id, NULL, NULL
  )::graphile_worker.job_spec))
  FROM scheduled_posts p WHERE p.status = 'scheduled'
  HAVING count(*) > 0;
END $$;
