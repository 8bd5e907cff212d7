-- Publishing, metrics collection and outbound webhooks.
--
-- The scheduled_posts row is itself the publish job: a post is due when status = 'scheduled'
-- and scheduled_at <= now(). Nodes claim due rows with FOR UPDATE SKIP LOCKED, so "a job
-- exists iff the post is scheduled" holds by construction, whatever writer (API, collab
-- save, cascade delete) changes the post. post_publishing records the attempt in flight.

-- One row per post that has ever been handed to a connector.
CREATE TABLE post_publishing (
  scheduled_post_id uuid PRIMARY KEY,
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  connector         text NOT NULL,
  -- Sent with every attempt of one publication, so the platform stores the post at most once
  -- even when a node dies between handing it over and storing the answer.
  idempotency_key   uuid NOT NULL,
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- Set while an attempt is with the connector; an old value means its node died (the
  -- sweeper takes the attempt over).
  started_at        timestamptz,
  -- When a transient failure may be retried (post stays 'publishing' meanwhile).
  next_attempt_at   timestamptz,
  last_error        text,
  -- Metrics collection, thinning out as the post ages.
  metrics_next_at   timestamptz,
  metrics_last_at   timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  updated_by        uuid,
  FOREIGN KEY (organisation_id, scheduled_post_id) REFERENCES scheduled_posts (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);
CREATE INDEX post_publishing_retry_idx ON post_publishing (next_attempt_at) WHERE started_at IS NULL AND next_attempt_at IS NOT NULL;
CREATE INDEX post_publishing_started_idx ON post_publishing (started_at) WHERE started_at IS NOT NULL;
CREATE INDEX post_publishing_metrics_idx ON post_publishing (metrics_next_at) WHERE metrics_next_at IS NOT NULL;
CREATE INDEX post_publishing_org_idx ON post_publishing (organisation_id);

-- Which connector publishes an organisation's posts on a platform; absent means sandbox.
-- Credentials are AES-256-GCM ciphertext (server/src/connectors/secrets.ts).
CREATE TABLE connector_accounts (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  platform          text NOT NULL CHECK (platform ~ '^[a-z_]{1,40}$'),
  connector         text NOT NULL CHECK (connector IN ('sandbox', 'mastodon')),
  base_url          text CHECK (base_url ~ '^https?://'),
  credentials       bytea,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  updated_by        uuid,
  UNIQUE (organisation_id, platform),
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);

-- The sandbox connector's stand-in for a remote network: what it "published", keyed by the
-- idempotency key exactly as a real platform would dedupe; calls counts hand-overs.
CREATE TABLE sandbox_posts (
  idempotency_key   uuid PRIMARY KEY,
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  external_id       text NOT NULL UNIQUE,
  scheduled_post_id uuid NOT NULL,
  calls             integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  updated_by        uuid
);
CREATE INDEX sandbox_posts_org_idx ON sandbox_posts (organisation_id);
CREATE INDEX sandbox_posts_post_idx ON sandbox_posts (scheduled_post_id);

-- One webhook endpoint per organisation; the signing secret is AES-256-GCM ciphertext.
CREATE TABLE webhook_endpoints (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id   uuid NOT NULL UNIQUE REFERENCES organisations (id) ON DELETE CASCADE,
  url               text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  secret            bytea NOT NULL,
  is_active         boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  updated_by        uuid,
  UNIQUE (organisation_id, id),
  FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id)
);

-- Outbox of webhook events, written in the same transaction as the post change (trigger below)
-- and delivered with retries by the job runner.
CREATE TABLE webhook_deliveries (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  endpoint_id       uuid NOT NULL,
  event             text NOT NULL,
  payload           jsonb NOT NULL,
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  delivered_at      timestamptz,
  failed_at         timestamptz,
  last_error        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid,
  updated_by        uuid,
  FOREIGN KEY (organisation_id, endpoint_id) REFERENCES webhook_endpoints (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
  WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_deliveries_org_idx ON webhook_deliveries (organisation_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['post_publishing', 'connector_accounts', 'sandbox_posts', 'webhook_endpoints', 'webhook_deliveries'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                      USING (organisation_id = app_organisation_id() OR app_is_system())
                      WITH CHECK (organisation_id = app_organisation_id() OR app_is_system())$p$, t);
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION chorus_touch_unversioned()', t || '_touch', t);
  END LOOP;
END
$$;

-- Every post lifecycle event lands in the outbox of an organisation that has an active
-- endpoint, in the writer's own transaction, whichever code path made the change.
CREATE FUNCTION chorus_post_webhook() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  ev text;
  ep uuid;
BEGIN
  IF TG_OP = 'INSERT' THEN
    ev := 'post.created';
  ELSIF NEW.status IS DISTINCT FROM OLD.status
        AND NEW.status IN ('approved', 'scheduled', 'published', 'failed', 'cancelled') THEN
    ev := 'post.' || NEW.status;
  ELSE
    RETURN NULL;
  END IF;
  SELECT id INTO ep FROM webhook_endpoints WHERE organisation_id = NEW.organisation_id AND is_active;
  IF ep IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO webhook_deliveries (organisation_id, endpoint_id, event, payload)
  VALUES (NEW.organisation_id, ep, ev, jsonb_build_object(
    'event', ev,
    'occurredAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'organisationId', NEW.organisation_id,
    'post', jsonb_build_object(
      'id', NEW.id, 'campaignId', NEW.campaign_id, 'status', NEW.status, 'version', NEW.version,
      'scheduledAt', NEW.scheduled_at, 'publishedAt', NEW.published_at,
      'externalId', NEW.external_id, 'externalUrl', NEW.external_url,
      'failureReason', NEW.failure_reason)));
  RETURN NULL;
END
$$;
CREATE TRIGGER scheduled_posts_webhook AFTER INSERT OR UPDATE OF status ON scheduled_posts
  FOR EACH ROW EXECUTE FUNCTION chorus_post_webhook();
