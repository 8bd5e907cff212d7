-- Whether an e-mail address has an account in any organisation. E-mail is unique platform-wide
-- while RLS hides other tenants' users, so an invitation check needs this one yes/no answer;
-- the function sees across tenants for its own duration only.
CREATE FUNCTION email_taken(address text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET app.system = 'on'
  SET search_path = public, pg_temp
  AS $$ SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(btrim(address))) $$;
REVOKE ALL ON FUNCTION email_taken(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION email_taken(text) TO chorus_app;

-- The session check every request makes, in one round trip instead of a system transaction.
-- Answers the session with its user and role; the caller compares the secret's hash.
CREATE FUNCTION session_lookup(session_id uuid)
  RETURNS TABLE (id uuid, secret_hash bytea, expires_at timestamptz, user_id uuid, organisation_id uuid,
                 name text, email text, is_active boolean, role text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET app.system = 'on'
  SET search_path = public, pg_temp
  AS $$
    SELECT s.id, s.secret_hash, s.expires_at, u.id, u.organisation_id, u.name, u.email, u.is_active, r.code
    FROM sessions s
    JOIN users u ON u.id = s.user_id
    JOIN reference_data r ON r.id = u.role_id
    WHERE s.id = session_id
  $$;
REVOKE ALL ON FUNCTION session_lookup(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION session_lookup(uuid) TO chorus_app;
