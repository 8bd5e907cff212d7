-- One row naming this installation. Every node on the same database reads the same key, so
-- they form one socket.io cluster on Redis, and installations (or test databases, which are
-- clones of one template: hence the database name in the key) that share a Redis never count
-- each other's nodes or receive each other's broadcasts.
CREATE TABLE installation (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  singleton  boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation DEFAULT VALUES;
REVOKE INSERT, UPDATE, DELETE ON installation FROM chorus_app;

CREATE FUNCTION chorus_cluster_key() RETURNS text
  LANGUAGE sql STABLE
  AS $$ SELECT id::text || ':' || current_database() FROM installation $$;
