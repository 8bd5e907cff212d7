-- Accounts, e-mail and notifications.

-- The client role: a client member is invited with the clients it may see.
INSERT INTO reference_data (category, code, label, sort_order)
VALUES ('user_role', 'client', 'Client', 60)
ON CONFLICT DO NOTHING;

ALTER TABLE users ADD COLUMN email_notifications boolean NOT NULL DEFAULT true;

ALTER TABLE sessions
  ADD COLUMN user_agent   text CHECK (length(user_agent) <= 512),
  ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE invitations
  ADD COLUMN client_ids uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN revoked_at timestamptz;

-- One-time tokens mailed for a password reset or a magic-link sign-in. As with sessions the
-- token is "<id>.<secret>" and only SHA-256(secret) is kept.
CREATE TABLE auth_tokens (
  id              uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  user_id         uuid NOT NULL,
  purpose         text NOT NULL CHECK (purpose IN ('password_reset', 'magic_link')),
  secret_hash     bytea NOT NULL CHECK (length(secret_hash) = 32),
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (organisation_id, user_id);
CREATE INDEX auth_tokens_expires_idx ON auth_tokens (expires_at);

-- Mail waiting to be sent, written in the transaction that causes it; a delivery round claims
-- due rows (SKIP LOCKED), renders them from `kind` + `data` and sends, retrying with backoff.
CREATE TABLE mail_outbox (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  -- The member the mail is about (its recipient), when there is one: the outbox page hides
  -- other people's sign-in and reset mails.
  user_id         uuid,
  recipient       text NOT NULL CHECK (length(recipient) <= 254),
  kind            text NOT NULL,
  data            jsonb NOT NULL,
  subject         text,
  body_text       text,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  failed_at       timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_org_idx ON mail_outbox (organisation_id, created_at);

CREATE TABLE notifications (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id   uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  user_id           uuid NOT NULL,
  type              text NOT NULL CHECK (type IN ('review_requested', 'changes_requested', 'approved', 'mentioned', 'replied', 'publish_failed')),
  scheduled_post_id uuid,
  campaign_id       uuid,
  note_id           uuid,
  actor_id          uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  read_at           timestamptz,
  FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, actor_id) REFERENCES users (organisation_id, id),
  FOREIGN KEY (organisation_id, scheduled_post_id) REFERENCES scheduled_posts (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, campaign_id) REFERENCES campaigns (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX notifications_user_idx ON notifications (organisation_id, user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (organisation_id, user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_post_idx ON notifications (scheduled_post_id) WHERE scheduled_post_id IS NOT NULL;
CREATE INDEX notifications_campaign_idx ON notifications (campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX notifications_note_idx ON notifications (note_id) WHERE note_id IS NOT NULL;

-- A deleted note takes its notifications with it (a composite SET NULL would null the tenant too).
CREATE FUNCTION chorus_note_notifications_delete() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM notifications WHERE note_id = OLD.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER notes_notifications_delete AFTER DELETE ON notes
  FOR EACH ROW EXECUTE FUNCTION chorus_note_notifications_delete();

-- Everyone who wrote a post's content, whichever path wrote it (API, collab): they hear when
-- the post is approved or sent back.
CREATE TABLE post_editors (
  organisation_id   uuid NOT NULL,
  scheduled_post_id uuid NOT NULL,
  user_id           uuid NOT NULL,
  PRIMARY KEY (organisation_id, scheduled_post_id, user_id),
  FOREIGN KEY (organisation_id, scheduled_post_id) REFERENCES scheduled_posts (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id) ON DELETE CASCADE
);

CREATE FUNCTION chorus_post_editor() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.updated_by IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.content IS DISTINCT FROM OLD.content) THEN
    INSERT INTO post_editors (organisation_id, scheduled_post_id, user_id)
    VALUES (NEW.organisation_id, NEW.id, NEW.updated_by)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER scheduled_posts_editor AFTER INSERT OR UPDATE OF content ON scheduled_posts
  FOR EACH ROW EXECUTE FUNCTION chorus_post_editor();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['auth_tokens', 'mail_outbox', 'notifications', 'post_editors'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                      USING (organisation_id = app_organisation_id() OR app_is_system())
                      WITH CHECK (organisation_id = app_organisation_id() OR app_is_system())$p$, t);
  END LOOP;
END
$$;
-- These two tables have no audit users, so they get a touch of their own.
CREATE FUNCTION chorus_touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  NEW.created_at := OLD.created_at;
  RETURN NEW;
END
$$;
CREATE TRIGGER auth_tokens_touch BEFORE UPDATE ON auth_tokens FOR EACH ROW EXECUTE FUNCTION chorus_touch_updated_at();
CREATE TRIGGER mail_outbox_touch BEFORE UPDATE ON mail_outbox FOR EACH ROW EXECUTE FUNCTION chorus_touch_updated_at();
