import { Logger, runMigrations as runQueueMigrations } from 'graphile-worker';
import pg from 'pg';

/** graphile-worker logs nothing of its own during installation; errors still throw. */
const silent = new Logger(() => () => {});

/**
 * Installs or upgrades graphile-worker's schema (the publishing queue, PostgreSQL only) before
 * the app's migrations, which add the triggers that keep publish jobs in step with posts.
 * Under an advisory lock of its own: nodes starting together on a new database install it once.
 */
export async function installQueueSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Fixed, and distinct from the app migrations' (…746) and the feed numbering's (…747) locks.
    await client.query('SELECT pg_advisory_lock(1130917748)');
    await runQueueMigrations({ connectionString: url, logger: silent });
  } finally {
    await client.end();
  }
}
