-- The change feed's two hot paths as single statements: one round trip each instead of a
-- transaction of five or six. Both see across tenants for their own duration only, like
-- session_lookup(); the server is their only caller.

-- One numbering round (see 0004): under the advisory lock that serialises rounds, numbers up to
-- `batch` committed rows without a seq, per organisation in id order, continuing each
-- organisation's counter, and notifies the organisations it numbered. Answers them.
CREATE FUNCTION chorus_number_changes(batch integer)
  RETURNS SETOF uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET app.system = 'on'
  SET search_path = public, pg_temp
  AS $$
DECLARE
  orgs uuid[];
BEGIN
  PERFORM pg_advisory_xact_lock(1130917747);
  WITH pending AS (
    SELECT id, organisation_id,
           row_number() OVER (PARTITION BY organisation_id ORDER BY id) AS rn
    FROM changes WHERE seq IS NULL
    ORDER BY id LIMIT batch
  ), counts AS (
    SELECT organisation_id, count(*) AS n FROM pending GROUP BY organisation_id
  ), bumped AS (
    INSERT INTO change_counters AS c (organisation_id, seq)
    SELECT organisation_id, n FROM counts
    ON CONFLICT (organisation_id) DO UPDATE SET seq = c.seq + excluded.seq
    RETURNING c.organisation_id, c.seq AS top
  ), numbered AS (
    UPDATE changes ch SET seq = b.top - cnt.n + p.rn
    FROM pending p
    JOIN bumped b USING (organisation_id)
    JOIN counts cnt USING (organisation_id)
    WHERE ch.id = p.id
    RETURNING ch.organisation_id
  )
  SELECT array_agg(DISTINCT organisation_id) INTO orgs FROM numbered;
  IF orgs IS NOT NULL THEN
    PERFORM pg_notify('chorus_changes', o::text) FROM unnest(orgs) AS o;
    RETURN QUERY SELECT unnest(orgs);
  END IF;
END
$$;
REVOKE ALL ON FUNCTION chorus_number_changes(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION chorus_number_changes(integer) TO chorus_app;

-- A page of one organisation's feed after `after`, with the organisation's head seq on every
-- row (one row with NULL seq when the page is empty), read in one consistent snapshot.
CREATE FUNCTION chorus_feed_page(org uuid, after bigint, lim integer)
  RETURNS TABLE (head bigint, seq bigint, entity text, op text, entity_id uuid, data jsonb,
                 actor_id uuid, at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET app.system = 'on'
  SET search_path = public, pg_temp
  AS $$
    SELECT h.head, c.seq, c.entity, c.op, c.entity_id, c.data, c.actor_id, c.at
    FROM (SELECT coalesce((SELECT cc.seq FROM change_counters cc WHERE cc.organisation_id = org), 0) AS head) h
    LEFT JOIN LATERAL (
      SELECT ch.seq, ch.entity, ch.op, ch.entity_id, ch.data, ch.actor_id, ch.at
      FROM changes ch
      WHERE ch.organisation_id = org AND ch.seq > after AND after < h.head
      ORDER BY ch.seq
      LIMIT lim
    ) c ON true
  $$;
REVOKE ALL ON FUNCTION chorus_feed_page(uuid, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION chorus_feed_page(uuid, bigint, integer) TO chorus_app;
