-- Chorus schema: the seed's nine tables plus sessions.
--
-- Tenancy is enforced three times over: every tenant-owned row carries organisation_id,
-- children point at parents through composite (organisation_id, id) foreign keys so a row can
-- never reference another organisation's parent, and row-level security (forced, so even the
-- owner is subject to it) hides every row outside the transaction's app.organisation_id.

-- ---------------------------------------------------------------------------------------------
-- Roles and helpers
-- ---------------------------------------------------------------------------------------------

-- The application connects through this role, which owns nothing, so RLS always applies.
-- Roles are cluster-wide, so several databases (tests, staging) may race to create it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chorus_app') THEN
    CREATE ROLE chorus_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
DO $$
BEGIN
  -- The migrating user must be able to SET ROLE chorus_app for its pool.
  IF NOT pg_has_role(current_user, 'chorus_app', 'MEMBER') THEN
    EXECUTE format('GRANT chorus_app TO %I', current_user);
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- The tenant of the current transaction (set_config(..., true) in the data layer), or NULL.
CREATE FUNCTION app_organisation_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.organisation_id', true), '')::uuid $$;

-- Work that is not yet, or never, inside one tenant: finding a user by e-mail at login,
-- checking a session token, the change relay and the scheduler. Set per transaction only by
-- the data layer's withSystem().
CREATE FUNCTION app_is_system() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT coalesce(current_setting('app.system', true), '') = 'on' $$;

-- updated_at and version are kept by the database so no code path can forget them.
CREATE FUNCTION chorus_touch() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.updated_at := now();
  NEW.version := OLD.version + 1;
  NEW.created_at := OLD.created_at;
  NEW.created_by := OLD.created_by;
  RETURN NEW;
END
$$;

-- Same, for tables that have no version column.
CREATE FUNCTION chorus_touch_unversioned() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.updated_at := now();
  NEW.created_at := OLD.created_at;
  NEW.created_by := OLD.created_by;
  RETURN NEW;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Reference data (platform-wide, not tenant-owned)
-- ---------------------------------------------------------------------------------------------

CREATE TABLE reference_data (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  category    text NOT NULL CHECK (category IN ('user_role', 'platform', 'industry', 'subscription_tier')),
  code        text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  label       text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  sort_order  integer NOT NULL DEFAULT 0,
  is_active   boolean NOT NULL DEFAULT true,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  created_by  uuid,
  updated_by  uuid,
  UNIQUE (category, code),
  -- Target of the (x_id, x_category) foreign keys that pin a link to the right category.
  UNIQUE (id, category)
);

-- ---------------------------------------------------------------------------------------------
-- Organisations and users
-- ---------------------------------------------------------------------------------------------

CREATE TABLE organisations (
  id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  industry_id                uuid,
  industry_category          text GENERATED ALWAYS AS ('industry') STORED,
  subscription_tier_id       uuid NOT NULL,
  subscription_tier_category text GENERATED ALWAYS AS ('subscription_tier') STORED,
  storage_quota_bytes        bigint NOT NULL DEFAULT 5368709120 CHECK (storage_quota_bytes >= 0),
  version                    integer NOT NULL DEFAULT 1,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  created_by                 uuid,
  updated_by                 uuid,
  FOREIGN KEY (industry_id, industry_category) REFERENCES reference_data (id, category),
  FOREIGN KEY (subscription_tier_id, subscription_tier_category) REFERENCES reference_data (id, category)
);

CREATE TABLE users (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  email           text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
  name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  password_hash   text NOT NULL,
  role_id         uuid NOT NULL,
  role_category   text GENERATED ALWAYS AS ('user_role') STORED,
  is_active       boolean NOT NULL DEFAULT true,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid,
  updated_by      uuid,
  UNIQUE (organisation_id, id),
  FOREIGN KEY (role_id, role_category) REFERENCES reference_data (id, category)
);
-- One account per address across the whole platform, whatever its case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_role_id_idx ON users (role_id);

ALTER TABLE reference_data
  ADD FOREIGN KEY (created_by) REFERENCES users (id),
  ADD FOREIGN KEY (updated_by) REFERENCES users (id);
ALTER TABLE organisations
  ADD FOREIGN KEY (created_by) REFERENCES users (id),
  ADD FOREIGN KEY (updated_by) REFERENCES users (id);
ALTER TABLE users
  ADD FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  ADD FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id);
CREATE INDEX organisations_industry_id_idx ON organisations (industry_id);
CREATE INDEX organisations_subscription_tier_id_idx ON organisations (subscription_tier_id);

-- Lucia-style sessions: the token is "<id>.<secret>"; only SHA-256(secret) is stored.
CREATE TABLE sessions (
  id              uuid PRIMARY KEY,
  organisation_id uuid NOT NULL,
  user_id         uuid NOT NULL,
  secret_hash     bytea NOT NULL CHECK (length(secret_hash) = 32),
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid,
  updated_by      uuid,
  FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_id_idx ON sessions (organisation_id, user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- ---------------------------------------------------------------------------------------------
-- Clients, campaigns, posts
-- ---------------------------------------------------------------------------------------------

CREATE TABLE clients (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  contact_name    text CHECK (length(contact_name) <= 200),
  contact_email   text CHECK (contact_email ~ '^[^@\s]+@[^@\s]+$' AND length(contact_email) <= 254),
  contact_phone   text CHECK (length(contact_phone) <= 50),
  is_active       boolean NOT NULL DEFAULT true,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid,
  updated_by      uuid,
  UNIQUE (organisation_id, id),
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE UNIQUE INDEX clients_name_key ON clients (organisation_id, lower(name));

CREATE TABLE campaigns (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  client_id         uuid NOT NULL,
  name              text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  platform_id       uuid NOT NULL,
  platform_category text GENERATED ALWAYS AS ('platform') STORED,
  goal              text CHECK (length(goal) <= 2000),
  start_date        date NOT NULL,
  end_date          date NOT NULL,
  budget_amount     numeric(14, 2) CHECK (budget_amount >= 0),
  budget_currency   char(3) CHECK (budget_currency ~ '^[A-Z]{3}$'),
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  updated_by        uuid,
  UNIQUE (organisation_id, id),
  CHECK (end_date >= start_date),
  CHECK ((budget_amount IS NULL) = (budget_currency IS NULL)),
  FOREIGN KEY (organisation_id, client_id) REFERENCES clients (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (platform_id, platform_category) REFERENCES reference_data (id, category),
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE UNIQUE INDEX campaigns_name_key ON campaigns (client_id, lower(name));
CREATE INDEX campaigns_client_id_idx ON campaigns (organisation_id, client_id);
CREATE INDEX campaigns_platform_id_idx ON campaigns (platform_id);
CREATE INDEX campaigns_dates_idx ON campaigns (organisation_id, start_date, end_date);

CREATE TABLE scheduled_posts (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  campaign_id       uuid NOT NULL,
  content           text NOT NULL DEFAULT '' CHECK (length(content) <= 100000),
  platform_id       uuid NOT NULL,
  platform_category text GENERATED ALWAYS AS ('platform') STORED,
  status            text NOT NULL DEFAULT 'draft' CHECK (status IN (
                      'draft', 'in_review', 'changes_requested', 'approved', 'scheduled',
                      'publishing', 'published', 'failed', 'cancelled')),
  scheduled_at      timestamptz,
  published_at      timestamptz,
  external_id       text,
  external_url      text,
  failure_reason    text,
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  updated_by        uuid,
  UNIQUE (organisation_id, id),
  CHECK (status <> 'scheduled' OR scheduled_at IS NOT NULL),
  CHECK (status <> 'published' OR published_at IS NOT NULL),
  FOREIGN KEY (organisation_id, campaign_id) REFERENCES campaigns (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (platform_id, platform_category) REFERENCES reference_data (id, category),
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
-- A campaign's posts by time.
CREATE INDEX scheduled_posts_campaign_time_idx ON scheduled_posts (campaign_id, scheduled_at, id);
-- The organisation's calendar across every campaign.
CREATE INDEX scheduled_posts_calendar_idx ON scheduled_posts (organisation_id, scheduled_at, id);
CREATE INDEX scheduled_posts_org_campaign_idx ON scheduled_posts (organisation_id, campaign_id);
CREATE INDEX scheduled_posts_platform_id_idx ON scheduled_posts (platform_id);
-- What the publisher and the stuck-publish sweeper look for.
CREATE INDEX scheduled_posts_due_idx ON scheduled_posts (scheduled_at)
  WHERE status IN ('scheduled', 'publishing');

-- Engagement snapshots. Counts are cumulative; one row per (post, capture time).
-- At 100M rows the workload is "one post's (or one campaign's posts') series over a window":
-- the unique (scheduled_post_id, captured_at) b-tree, carrying the counts, answers it with an
-- index-only range scan whose cost depends on the post's own rows, not the table's size. A
-- BRIN index on captured_at (tiny, since rows arrive in time order) serves table-wide time
-- windows such as retention sweeps. Partitioning was rejected: it would force captured_at
-- into the primary key, which the contract fixes as id alone.
CREATE TABLE post_metrics (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  scheduled_post_id uuid NOT NULL,
  captured_at       timestamptz NOT NULL,
  likes             bigint NOT NULL CHECK (likes >= 0),
  shares            bigint NOT NULL CHECK (shares >= 0),
  comments          bigint NOT NULL CHECK (comments >= 0),
  impressions       bigint NOT NULL CHECK (impressions >= 0),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  updated_by        uuid,
  FOREIGN KEY (organisation_id, scheduled_post_id) REFERENCES scheduled_posts (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE UNIQUE INDEX post_metrics_post_time_key ON post_metrics (scheduled_post_id, captured_at)
  INCLUDE (likes, shares, comments, impressions);
CREATE INDEX post_metrics_captured_at_brin ON post_metrics USING brin (captured_at);
CREATE INDEX post_metrics_org_idx ON post_metrics (organisation_id);

-- ---------------------------------------------------------------------------------------------
-- Assets and notes: each links to exactly one of a campaign or a post
-- ---------------------------------------------------------------------------------------------

CREATE TABLE assets (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  campaign_id       uuid,
  scheduled_post_id uuid,
  file_name         text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  media_type        text NOT NULL,
  size_bytes        bigint NOT NULL CHECK (size_bytes >= 0),
  sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key       text NOT NULL UNIQUE,
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  updated_by        uuid,
  CHECK (num_nonnulls(campaign_id, scheduled_post_id) = 1),
  FOREIGN KEY (organisation_id, campaign_id) REFERENCES campaigns (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, scheduled_post_id) REFERENCES scheduled_posts (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX assets_campaign_idx ON assets (organisation_id, campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX assets_post_idx ON assets (organisation_id, scheduled_post_id) WHERE scheduled_post_id IS NOT NULL;

CREATE TABLE notes (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  campaign_id       uuid,
  scheduled_post_id uuid,
  -- The one target, whichever it is: lets a reply's foreign key demand its parent's target.
  target_id         uuid GENERATED ALWAYS AS (coalesce(campaign_id, scheduled_post_id)) STORED,
  parent_id         uuid,
  author_id         uuid NOT NULL,
  body              text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  updated_by        uuid,
  CHECK (num_nonnulls(campaign_id, scheduled_post_id) = 1),
  CHECK (parent_id IS DISTINCT FROM id),
  UNIQUE (organisation_id, id, target_id),
  FOREIGN KEY (organisation_id, campaign_id) REFERENCES campaigns (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, scheduled_post_id) REFERENCES scheduled_posts (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, parent_id, target_id) REFERENCES notes (organisation_id, id, target_id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, author_id) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX notes_target_idx ON notes (organisation_id, target_id, created_at, id);
CREATE INDEX notes_parent_idx ON notes (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX notes_author_idx ON notes (organisation_id, author_id);

-- Indexes for the audit foreign keys would cost a write on every row for lookups that only a
-- (never performed) user deletion needs; users are deactivated, not deleted.

-- ---------------------------------------------------------------------------------------------
-- Triggers, RLS, grants
-- ---------------------------------------------------------------------------------------------

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['reference_data', 'organisations', 'users', 'clients', 'campaigns',
                           'scheduled_posts', 'assets', 'notes'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION chorus_touch()', t || '_touch', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['sessions', 'post_metrics'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION chorus_touch_unversioned()', t || '_touch', t);
  END LOOP;

  FOREACH t IN ARRAY ARRAY['users', 'sessions', 'clients', 'campaigns', 'scheduled_posts',
                           'post_metrics', 'assets', 'notes'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                      USING (organisation_id = app_organisation_id() OR app_is_system())
                      WITH CHECK (organisation_id = app_organisation_id() OR app_is_system())$p$, t);
  END LOOP;
END
$$;

ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organisations
  USING (id = app_organisation_id() OR app_is_system())
  WITH CHECK (id = app_organisation_id() OR app_is_system());

GRANT USAGE ON SCHEMA public TO chorus_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO chorus_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO chorus_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO chorus_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO chorus_app;
-- Reference data is read by everyone and changed only by migrations.
REVOKE INSERT, UPDATE, DELETE ON reference_data FROM chorus_app;
