-- Writers append their change rows to a small outbox; a numbering round moves committed rows
-- into the feed with their seq (same rules as 0004: under one advisory lock, in outbox-id
-- order, continuing each organisation's counter — so seq order is still commit order).
--
-- Why not number the rows in place, as 0004/0011 did: every round UPDATEd the rows it
-- numbered, leaving a dead entry per change in the partial "seq IS NULL" index. Only VACUUM
-- removes those, so each round's scan visited every change numbered since the last vacuum and
-- slowed down as the table grew (90 ms a round at 200,000 rows, measured under load), and
-- every UPDATE wrote each row a second time with all its index entries. Now the feed is
-- append-only, a writer's insert touches one small table with one index and no foreign key,
-- and the outbox stays near empty.
CREATE TABLE change_outbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- No foreign key: a writer checking the organisation row on every change was a measurable
  -- share of its cost. The round drops rows whose organisation is gone.
  organisation_id uuid NOT NULL,
  entity          text NOT NULL CHECK (entity IN ('organisation', 'user', 'client', 'campaign', 'post', 'note', 'asset')),
  op              text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  entity_id       uuid NOT NULL,
  data            jsonb,
  actor_id        uuid,
  at              timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE change_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE change_outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON change_outbox
  USING (organisation_id = app_organisation_id() OR app_is_system())
  WITH CHECK (organisation_id = app_organisation_id() OR app_is_system());

-- Rows written before this migration and not numbered yet wait in the outbox like new ones.
INSERT INTO change_outbox (organisation_id, entity, op, entity_id, data, actor_id, at)
  SELECT organisation_id, entity, op, entity_id, data, actor_id, at FROM changes WHERE seq IS NULL ORDER BY id;
DELETE FROM changes WHERE seq IS NULL;

DROP INDEX changes_pending_idx;
ALTER TABLE changes ALTER COLUMN seq SET NOT NULL;
-- (organisation_id, seq) is how the feed is read; the surrogate id only served the old rounds.
ALTER TABLE changes DROP CONSTRAINT changes_pkey;
ALTER TABLE changes DROP COLUMN id;
ALTER TABLE changes DROP CONSTRAINT changes_organisation_id_seq_key;
ALTER TABLE changes ADD PRIMARY KEY (organisation_id, seq);

-- One numbering round: moves up to `batch` committed outbox rows into the feed, numbered per
-- organisation in outbox-id order, and notifies the organisations it numbered. Answers them.
-- The outbox is read by an index scan with the LIMIT first, so a backlog is taken in slices.
CREATE OR REPLACE FUNCTION chorus_number_changes(batch integer)
  RETURNS SETOF uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET app.system = 'on'
  SET search_path = public, pg_temp
  AS $$
DECLARE
  orgs uuid[];
BEGIN
  PERFORM pg_advisory_xact_lock(1130917747);
  WITH moved AS (
    DELETE FROM change_outbox o
    WHERE o.id IN (SELECT id FROM change_outbox ORDER BY id LIMIT batch)
    RETURNING o.*
  ), live AS (
    SELECT m.*, row_number() OVER (PARTITION BY m.organisation_id ORDER BY m.id) AS rn
    FROM moved m
    WHERE EXISTS (SELECT 1 FROM organisations g WHERE g.id = m.organisation_id)
  ), counts AS (
    SELECT organisation_id, count(*) AS n FROM live GROUP BY organisation_id
  ), bumped AS (
    INSERT INTO change_counters AS c (organisation_id, seq)
    SELECT organisation_id, n FROM counts
    ON CONFLICT (organisation_id) DO UPDATE SET seq = c.seq + excluded.seq
    RETURNING c.organisation_id, c.seq AS top
  ), numbered AS (
    INSERT INTO changes (organisation_id, seq, entity, op, entity_id, data, actor_id, at)
    SELECT l.organisation_id, b.top - cnt.n + l.rn, l.entity, l.op, l.entity_id, l.data, l.actor_id, l.at
    FROM live l
    JOIN bumped b USING (organisation_id)
    JOIN counts cnt USING (organisation_id)
    RETURNING organisation_id
  )
  SELECT array_agg(DISTINCT organisation_id) INTO orgs FROM numbered;
  IF orgs IS NOT NULL THEN
    PERFORM pg_notify('chorus_changes', o::text) FROM unnest(orgs) AS o;
    RETURN QUERY SELECT unnest(orgs);
  END IF;
END
$$;
