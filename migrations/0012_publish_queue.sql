-- The publishing queue on PostgreSQL is graphile-worker (server/src/jobs/queue.ts): a post has
-- a job keyed 'publish:<post id>' to run at its scheduled_at exactly while it is scheduled,
-- and a transient failure's retry is a job under the same key. Triggers keep the jobs in step
-- with the rows in the writer's own transaction, so every writer — the API, the collab
-- save-back that sends an edited post back to review, cascade deletes, a psql session — moves
-- or removes the job without knowing the queue exists.
--
-- Where graphile-worker's schema is absent (embedded PGlite, which cannot run it) the helpers
-- do nothing and the polling runner finds due posts straight from the table instead.
-- Statement-level with transition tables: a bulk schedule of 10,000 posts is one add_jobs.

-- (Re)places the posts' jobs at the given times. NULL arrays (no rows) do nothing.
CREATE FUNCTION chorus_add_publish_jobs(ids uuid[], run_at timestamptz[]) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
BEGIN
  IF ids IS NULL OR to_regnamespace('graphile_worker') IS NULL THEN RETURN; END IF;
  PERFORM graphile_worker.add_jobs(array_agg(ROW(
    'publish_post', json_build_object('postId', u.id), NULL, u.at, NULL, 'publish:' || u.id, NULL, NULL
  )::graphile_worker.job_spec))
  FROM unnest(ids, run_at) AS u(id, at);
END $$;

CREATE FUNCTION chorus_remove_publish_jobs(ids uuid[]) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
BEGIN
  IF ids IS NULL OR to_regnamespace('graphile_worker') IS NULL THEN RETURN; END IF;
  PERFORM graphile_worker.remove_job('publish:' || id) FROM unnest(ids) AS id;
END $$;

-- Only the app role's triggers call them.
REVOKE ALL ON FUNCTION chorus_add_publish_jobs(uuid[], timestamptz[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION chorus_remove_publish_jobs(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION chorus_add_publish_jobs(uuid[], timestamptz[]) TO chorus_app;
GRANT EXECUTE ON FUNCTION chorus_remove_publish_jobs(uuid[]) TO chorus_app;

CREATE FUNCTION chorus_publish_jobs_sync() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM chorus_add_publish_jobs(array_agg(id), array_agg(scheduled_at)) FROM new_rows WHERE status = 'scheduled';
  ELSIF TG_OP = 'UPDATE' THEN
    -- Newly scheduled, or moved: the job (re)placed at the new time.
    PERFORM chorus_add_publish_jobs(array_agg(n.id), array_agg(n.scheduled_at))
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.status = 'scheduled' AND (o.status <> 'scheduled' OR o.scheduled_at IS DISTINCT FROM n.scheduled_at);
    -- Unscheduled (cancelled, back to review, …): the job goes. 'publishing' is the job's own
    -- claim, so it keeps running.
    PERFORM chorus_remove_publish_jobs(array_agg(n.id))
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE o.status = 'scheduled' AND n.status NOT IN ('scheduled', 'publishing');
  ELSE
    PERFORM chorus_remove_publish_jobs(array_agg(id)) FROM old_rows WHERE status IN ('scheduled', 'publishing');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER scheduled_posts_publish_jobs_ins AFTER INSERT ON scheduled_posts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chorus_publish_jobs_sync();
CREATE TRIGGER scheduled_posts_publish_jobs_upd AFTER UPDATE ON scheduled_posts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chorus_publish_jobs_sync();
CREATE TRIGGER scheduled_posts_publish_jobs_del AFTER DELETE ON scheduled_posts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION chorus_publish_jobs_sync();

-- A transient failure's retry: the attempt's next_attempt_at becomes the job's time.
CREATE FUNCTION chorus_publish_retry_job() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM chorus_add_publish_jobs(ARRAY[NEW.scheduled_post_id], ARRAY[NEW.next_attempt_at]);
  RETURN NULL;
END $$;

CREATE TRIGGER post_publishing_retry_job AFTER UPDATE OF next_attempt_at ON post_publishing
  FOR EACH ROW WHEN (NEW.next_attempt_at IS NOT NULL AND NEW.next_attempt_at IS DISTINCT FROM OLD.next_attempt_at)
  EXECUTE FUNCTION chorus_publish_retry_job();

-- Posts scheduled before the queue existed get their jobs now (graphile-worker's schema is
-- installed before these migrations run).
SELECT chorus_add_publish_jobs(array_agg(id), array_agg(scheduled_at)) FROM scheduled_posts WHERE status = 'scheduled';
