-- Client members see only their clients, enforced by the database.
--
-- A client member's transactions set app.client_user to the member's id (besides
-- app.organisation_id). Restrictive policies, ANDed with the tenant policy, then hide every
-- client, campaign, post, asset, metric, version and note outside the member's clients, every
-- team-only note, and the agency's integrations. Team members leave the setting empty and the
-- policies pass at once.

CREATE FUNCTION app_client_user() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.client_user', true), '')::uuid $$;

-- Which clients each client member may see: filled when a client invitation is accepted and
-- changed by PATCH /users/:id {clientIds}.
CREATE TABLE client_members (
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  user_id         uuid NOT NULL,
  client_id       uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, client_id),
  FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, client_id) REFERENCES clients (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX client_members_client_idx ON client_members (organisation_id, client_id);

INSERT INTO client_members (organisation_id, user_id, client_id)
SELECT i.organisation_id, i.accepted_by, c.id
  FROM invitations i
  JOIN clients c ON c.organisation_id = i.organisation_id AND c.id = ANY (i.client_ids)
 WHERE i.accepted_by IS NOT NULL
ON CONFLICT DO NOTHING;

CREATE FUNCTION app_client_sees_client(cid uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT app_client_user() IS NULL OR EXISTS (
          SELECT 1 FROM client_members m WHERE m.user_id = app_client_user() AND m.client_id = cid) $$;

CREATE FUNCTION app_client_sees_campaign(cid uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT app_client_user() IS NULL OR EXISTS (
          SELECT 1 FROM campaigns c
            JOIN client_members m ON m.client_id = c.client_id AND m.user_id = app_client_user()
           WHERE c.id = cid) $$;

CREATE FUNCTION app_client_sees_post(pid uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT app_client_user() IS NULL OR EXISTS (
          SELECT 1 FROM scheduled_posts p
            JOIN campaigns c ON c.id = p.campaign_id
            JOIN client_members m ON m.client_id = c.client_id AND m.user_id = app_client_user()
           WHERE p.id = pid) $$;

-- Notes: who may see them, and the span of the post text they are about.
ALTER TABLE notes
  ADD COLUMN visibility   text NOT NULL DEFAULT 'team' CHECK (visibility IN ('team', 'client')),
  ADD COLUMN anchor_start text CHECK (length(anchor_start) <= 512),
  ADD COLUMN anchor_end   text CHECK (length(anchor_end) <= 512),
  ADD COLUMN quote        text CHECK (length(quote) <= 20000),
  ADD COLUMN resolved_at  timestamptz,
  ADD COLUMN resolved_by  uuid,
  ADD CHECK ((anchor_start IS NULL) = (anchor_end IS NULL)),
  ADD FOREIGN KEY (organisation_id, resolved_by) REFERENCES users (organisation_id, id);

ALTER TABLE client_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE client_members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON client_members
  USING (organisation_id = app_organisation_id() OR app_is_system())
  WITH CHECK (organisation_id = app_organisation_id() OR app_is_system());
-- A client member reads only its own rows and writes none.
CREATE POLICY client_scope ON client_members AS RESTRICTIVE FOR SELECT
  USING (app_client_user() IS NULL OR user_id = app_client_user());
CREATE POLICY client_scope_write ON client_members AS RESTRICTIVE FOR INSERT
  WITH CHECK (app_client_user() IS NULL);
CREATE POLICY client_scope_update ON client_members AS RESTRICTIVE FOR UPDATE
  USING (app_client_user() IS NULL);
CREATE POLICY client_scope_delete ON client_members AS RESTRICTIVE FOR DELETE
  USING (app_client_user() IS NULL);

CREATE POLICY client_scope ON clients AS RESTRICTIVE USING (app_client_sees_client(id));
CREATE POLICY client_scope ON campaigns AS RESTRICTIVE USING (app_client_sees_client(client_id));
CREATE POLICY client_scope ON scheduled_posts AS RESTRICTIVE USING (app_client_sees_campaign(campaign_id));
CREATE POLICY client_scope ON post_metrics AS RESTRICTIVE USING (app_client_sees_post(scheduled_post_id));
CREATE POLICY client_scope ON post_versions AS RESTRICTIVE USING (app_client_sees_post(scheduled_post_id));
CREATE POLICY client_scope ON assets AS RESTRICTIVE
  USING (CASE WHEN campaign_id IS NOT NULL THEN app_client_sees_campaign(campaign_id)
              ELSE app_client_sees_post(scheduled_post_id) END);
CREATE POLICY client_scope ON notes AS RESTRICTIVE
  USING (app_client_user() IS NULL OR (visibility = 'client' AND
         CASE WHEN campaign_id IS NOT NULL THEN app_client_sees_campaign(campaign_id)
              ELSE app_client_sees_post(scheduled_post_id) END));

-- Nothing of the agency's internals: invitations, integrations and the publishing machinery.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['invitations', 'post_publishing', 'connector_accounts', 'sandbox_posts',
                           'webhook_endpoints', 'webhook_deliveries'] LOOP
    EXECUTE format('CREATE POLICY client_scope ON %I AS RESTRICTIVE USING (app_client_user() IS NULL)', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON client_members TO chorus_app;
