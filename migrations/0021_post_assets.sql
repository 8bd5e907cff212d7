-- A post's media: the assets it uses, in order. An asset keeps one home (the campaign or post
-- it was uploaded to), which decides who may see it and when its file goes; any post of the
-- same client may use it, and the media library counts the posts that do.
ALTER TABLE assets ADD CONSTRAINT assets_organisation_id_id_key UNIQUE (organisation_id, id);

CREATE TABLE post_assets (
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  scheduled_post_id uuid NOT NULL,
  asset_id          uuid NOT NULL,
  position          integer NOT NULL CHECK (position >= 0),
  created_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  PRIMARY KEY (scheduled_post_id, asset_id),
  FOREIGN KEY (organisation_id, scheduled_post_id) REFERENCES scheduled_posts (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, asset_id) REFERENCES assets (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id)
);
-- Usage counts and "which posts use this file" read by asset.
CREATE INDEX post_assets_asset_idx ON post_assets (asset_id);
CREATE INDEX post_assets_org_idx ON post_assets (organisation_id);
-- The library pages through an organisation's files by upload time, either way.
CREATE INDEX assets_org_created_idx ON assets (organisation_id, created_at, id);

-- Until now a post's media were the assets whose home it is.
INSERT INTO post_assets (organisation_id, scheduled_post_id, asset_id, position, created_at, created_by)
SELECT organisation_id, scheduled_post_id, id,
       (row_number() OVER (PARTITION BY scheduled_post_id ORDER BY created_at, id) - 1)::integer,
       created_at, created_by
  FROM assets
 WHERE scheduled_post_id IS NOT NULL;

ALTER TABLE post_assets ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_assets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_assets
  USING (organisation_id = app_organisation_id() OR app_is_system())
  WITH CHECK (organisation_id = app_organisation_id() OR app_is_system());
CREATE POLICY client_scope ON post_assets AS RESTRICTIVE
  USING (app_client_user() IS NULL OR app_client_sees_post(scheduled_post_id));
