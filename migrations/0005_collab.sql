-- Yjs persistence for the collaborative documents (post:<id> content, note:<id> body).
--
-- A document is a compacted snapshot plus the updates appended since. Updates are appended in
-- small batches as editors type; past a threshold one transaction folds them into the snapshot
-- and deletes exactly the rows it folded (never "everything up to seq N": identity values are
-- taken before commit, so a row with a lower seq may still be on its way).
--
-- A document belongs to exactly one post or note and goes when it goes (cascade). The row is
-- created by the server, seeded from the post's or note's text, under INSERT .. ON CONFLICT, so
-- two nodes loading at once agree on one seed and content is never duplicated.
-- The composite key a document's (organisation_id, note_id) foreign key needs.
ALTER TABLE notes ADD CONSTRAINT notes_organisation_id_id_key UNIQUE (organisation_id, id);

CREATE TABLE collab_documents (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  name              text NOT NULL UNIQUE CHECK (name ~ '^(post|note):[0-9a-f-]{36}$'),
  scheduled_post_id uuid,
  note_id           uuid,
  -- Y.encodeStateAsUpdate of everything folded so far.
  snapshot          bytea NOT NULL,
  snapshot_bytes    integer GENERATED ALWAYS AS (length(snapshot)) STORED,
  -- The text as last saved to the post/note (what an API client saw): the base an API edit
  -- is diffed against, so live editors' edits made since are kept, not undone.
  base_text         text NOT NULL DEFAULT '',
  compacted_at      timestamptz NOT NULL DEFAULT now(),
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  updated_by        uuid,
  UNIQUE (organisation_id, id),
  CHECK (num_nonnulls(scheduled_post_id, note_id) = 1),
  FOREIGN KEY (organisation_id, scheduled_post_id) REFERENCES scheduled_posts (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, note_id) REFERENCES notes (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE UNIQUE INDEX collab_documents_post_key ON collab_documents (scheduled_post_id) WHERE scheduled_post_id IS NOT NULL;
CREATE UNIQUE INDEX collab_documents_note_key ON collab_documents (note_id) WHERE note_id IS NOT NULL;
CREATE INDEX collab_documents_org_idx ON collab_documents (organisation_id);

CREATE TRIGGER collab_documents_touch BEFORE UPDATE ON collab_documents
  FOR EACH ROW EXECUTE FUNCTION chorus_touch();

-- Appended Yjs updates not yet folded into the snapshot. Append-only: never updated.
CREATE TABLE collab_updates (
  seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organisation_id uuid NOT NULL,
  document_id     uuid NOT NULL,
  data            bytea NOT NULL CHECK (length(data) > 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid,
  updated_by      uuid,
  FOREIGN KEY (organisation_id, document_id) REFERENCES collab_documents (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX collab_updates_document_idx ON collab_updates (document_id, seq);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['collab_documents', 'collab_updates'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                      USING (organisation_id = app_organisation_id() OR app_is_system())
                      WITH CHECK (organisation_id = app_organisation_id() OR app_is_system())$p$, t);
  END LOOP;
END
$$;
