-- Invitations and login throttling.

CREATE TABLE invitations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  email           text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
  role_id         uuid NOT NULL,
  role_category   text GENERATED ALWAYS AS ('user_role') STORED,
  -- The invitation token is "<id>.<secret>"; as with sessions only SHA-256(secret) is kept.
  secret_hash     bytea NOT NULL CHECK (length(secret_hash) = 32),
  expires_at      timestamptz NOT NULL,
  accepted_at     timestamptz,
  accepted_by     uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid,
  updated_by      uuid,
  FOREIGN KEY (role_id, role_category) REFERENCES reference_data (id, category),
  FOREIGN KEY (organisation_id, accepted_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX invitations_org_idx ON invitations (organisation_id, created_at);
CREATE INDEX invitations_role_id_idx ON invitations (role_id);
CREATE TRIGGER invitations_touch BEFORE UPDATE ON invitations FOR EACH ROW EXECUTE FUNCTION chorus_touch_unversioned();
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
  USING (organisation_id = app_organisation_id() OR app_is_system())
  WITH CHECK (organisation_id = app_organisation_id() OR app_is_system());

-- Failed log-ins per e-mail address (known or not, so the answer never reveals which).
-- Kept in the database so every node sees the same count.
CREATE TABLE login_attempts (
  email_key        text PRIMARY KEY,
  failures         integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  first_failure_at timestamptz NOT NULL DEFAULT now(),
  locked_until     timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
