-- Request counters per client address (or any other key), in fixed windows. Kept in the
-- database, like login_attempts, so every node of an installation enforces the same limit.
CREATE TABLE rate_limits (
  bucket       text NOT NULL,
  key          text NOT NULL,
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL CHECK (hits >= 0),
  PRIMARY KEY (bucket, key)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- login_attempts.failures now counts password checks started in the window (reserved before
-- the hash is computed, so parallel guesses are counted too); a success deletes the row.
-- locked_until is no longer used: the window itself is the lock.
COMMENT ON COLUMN login_attempts.failures IS 'password checks started since first_failure_at (window of 15 minutes)';
