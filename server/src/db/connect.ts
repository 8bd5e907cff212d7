import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PGliteDialect } from 'kysely';
import pg from 'pg';
import { TailingPostgresDialect } from './commit-tail.ts';
import { runMigrations, type ScriptRunner } from './migrate.ts';
import { installQueueSchema } from './queue-schema.ts';
import type { DB as Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  /** Queries run as chorus_app, so row-level security applies to every one of them. */
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Applies pending migrations as the schema owner. */
  migrate(): Promise<string[]>;
  /** A connection string the owner role can use (PostgreSQL only: job queue, LISTEN). */
  ownerUrl?: string;
  close(): Promise<void>;
}

const APP_ROLE = 'chorus_app';

// Dates stay 'YYYY-MM-DD' strings (a JS Date would shift them by the server's time zone);
// bigint counts fit comfortably in a double.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** PGlite only: keep everything in memory (tests). */
  memory?: boolean;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 20) : openPglite(opts);
}

function openPostgres(url: string, max: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max, options: `-c role=${APP_ROLE}` });
  // An idle client's error (server restart, network blip) must not crash the process.
  pool.on('error', () => {});
  // Nor may a checked-out one's between two statements of a transaction: the pool listens
  // only to idle clients, and an 'error' nobody listens to ends the process. The transaction
  // itself still fails, on its next statement.
  pool.on('connect', (client) => client.on('error', () => {}));
  const runner: ScriptRunner = {
    async transaction(fn) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async (sql, params) => (await client.query(sql, params)).rows,
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        await client.end();
      }
    },
  };
  return {
    db: new Kysely<Database>({ dialect: new TailingPostgresDialect({ pool }) }),
    kind: 'postgres',
    migrate: async () => {
      await installQueueSchema(url);
      return runMigrations(runner);
    },
    ownerUrl: url,
    close: async () => {
      await pool.end();
    },
  };
}

async function openPglite(opts: OpenOptions): Promise<DatabaseHandle> {
  let dataDir: string | undefined;
  if (!opts.memory) {
    dataDir = join(opts.dataDir ?? './.data', 'pglite');
    await mkdir(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create({
    dataDir,
    // Search folds accents (migrations/0020_search.sql).
    extensions: { unaccent },
    parsers: {
      [pgliteTypes.DATE]: (v: string) => v,
      [pgliteTypes.INT8]: (v: string) => Number(v),
    },
  });
  const runner: ScriptRunner = {
    transaction: (fn) =>
      pglite.transaction((tx) =>
        fn({
          exec: async (sql) => void (await tx.exec(sql)),
          query: async (sql, params) => (await tx.query(sql, params)).rows as never,
        }),
      ),
  };
  let closed = false;
  return {
    // PGlite has one connection: after migrations it switches to the app role for good.
    db: new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) }),
    kind: 'pglite',
    migrate: async () => {
      await pglite.exec('RESET ROLE');
      const applied = await runMigrations(runner);
      await pglite.exec(`SET ROLE ${APP_ROLE}`);
      return applied;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pglite.close();
    },
  };
}
