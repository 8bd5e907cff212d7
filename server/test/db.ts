import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

// Set by test/global-setup.ts: the migrated template this run's databases are cloned from.
declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

import { type DatabaseHandle, openDatabase } from '../src/db/connect.ts';

/** The same server, but its maintenance database, for CREATE/DROP DATABASE. */
export function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export interface TestDatabase extends DatabaseHandle {
  /** PostgreSQL only: the fresh database's own URL (to start server processes on it). */
  url?: string;
}

/**
 * A fresh, migrated database of its own for one test file: a clone of the migrated template
 * on PostgreSQL (DATABASE_URL), else an in-memory PGlite.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const handle = await openDatabase({ memory: true });
    await handle.migrate();
    return handle;
  }
  const name = `chorus_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(base, `CREATE DATABASE ${name} TEMPLATE ${inject('templateDb')}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: u.toString(), poolSize: 10 });
  await handle.migrate();
  return {
    ...handle,
    url: u.toString(),
    close: async () => {
      await handle.close();
      // pg's pool.end() resolves before its clients' sockets have closed: let them go before
      // FORCE terminates what is left, or a client still ending hears a FATAL nobody handles.
      for (let i = 0; i < 40; i++) {
        const [row] = await adminQuery(base, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [
          name,
        ]);
        if (row.n === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Runs one statement on the server's maintenance database. */
export function adminQuery(url: string, sql: string, params: unknown[] = []) {
  return queryDb(adminUrl(url), sql, params);
}

/** Runs one statement as the URL's own user (the schema owner), outside the app role. */
export async function queryDb(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}
