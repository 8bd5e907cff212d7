-- What the post status table needs (docs/api-rules.md): the client's approval step, each
-- client's approval policy, the client member role, and a version of a post per status change.

ALTER TABLE scheduled_posts DROP CONSTRAINT scheduled_posts_status_check;
ALTER TABLE scheduled_posts ADD CONSTRAINT scheduled_posts_status_check CHECK (status IN (
  'draft', 'in_review', 'client_review', 'changes_requested', 'approved', 'scheduled',
  'publishing', 'published', 'failed', 'cancelled'));

ALTER TABLE clients ADD COLUMN approval_policy text NOT NULL DEFAULT 'team'
  CHECK (approval_policy IN ('team', 'team_and_client'));

INSERT INTO reference_data (category, code, label, sort_order) VALUES ('user_role', 'client', 'Client', 60)
ON CONFLICT DO NOTHING;

-- One row each time a post's status changes, holding the content at that moment.
CREATE TABLE post_versions (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  scheduled_post_id uuid NOT NULL,
  content           text NOT NULL CHECK (length(content) <= 100000),
  status            text NOT NULL,
  reason            text CHECK (length(reason) <= 2000),
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  created_by        uuid,
  updated_by        uuid,
  UNIQUE (organisation_id, id),
  FOREIGN KEY (organisation_id, scheduled_post_id) REFERENCES scheduled_posts (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX post_versions_post_idx ON post_versions (scheduled_post_id, created_at DESC, id DESC);
CREATE INDEX post_versions_org_idx ON post_versions (organisation_id);

ALTER TABLE post_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_versions
  USING (organisation_id = app_organisation_id() OR app_is_system())
  WITH CHECK (organisation_id = app_organisation_id() OR app_is_system());
CREATE TRIGGER post_versions_touch BEFORE UPDATE ON post_versions
  FOR EACH ROW EXECUTE FUNCTION chorus_touch_unversioned();
