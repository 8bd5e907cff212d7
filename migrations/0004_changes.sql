-- The change feed: one row per committed change, written in the same transaction as the change.
--
-- seq is per organisation and gap-free, and it is handed out *after* commit by the sequencer
-- (server/src/realtime/sequencer.ts): under an advisory lock, it numbers every committed row
-- still without a seq, per organisation, and commits those numbers in one transaction. A row
-- is numbered only once it is committed and visible, and numbering rounds never overlap, so
-- seq order is commit order and a reader that has seen seq N has seen everything up to N:
-- "everything after my last seq" is exact. Writers take no shared lock for this, so they
-- commit in parallel. (A sequence value taken during the transaction would break this: a
-- reader remembering the highest seq seen could skip one that commits late.)
CREATE TABLE change_counters (
  organisation_id uuid PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
  seq             bigint NOT NULL CHECK (seq >= 0)
);

CREATE TABLE changes (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  -- NULL until the sequencer numbers the committed row (milliseconds later).
  seq             bigint CHECK (seq > 0),
  entity          text NOT NULL CHECK (entity IN ('organisation', 'user', 'client', 'campaign', 'post', 'note', 'asset')),
  op              text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  entity_id       uuid NOT NULL,
  data            jsonb,
  actor_id        uuid,
  at              timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, seq)
);
CREATE INDEX changes_at_idx ON changes (at);
CREATE INDEX changes_pending_idx ON changes (id) WHERE seq IS NULL;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['change_counters', 'changes'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                      USING (organisation_id = app_organisation_id() OR app_is_system())
                      WITH CHECK (organisation_id = app_organisation_id() OR app_is_system())$p$, t);
  END LOOP;
END
$$;
