import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The top-level migrations/ folder: plain SQL files applied in name order. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

/** What the runner needs from a connection that owns the schema. */
export interface ScriptRunner {
  /** Runs fn inside one transaction; `exec` runs multi-statement SQL, `query` one statement. */
  transaction<T>(fn: (tx: ScriptTx) => Promise<T>): Promise<T>;
}
export interface ScriptTx {
  exec(sql: string): Promise<void>;
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<string[]> {
  return (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
}

/**
 * Applies every pending migration in one transaction, under an advisory lock so that nodes
 * starting together apply each file once. Returns the names it applied.
 */
export async function runMigrations(runner: ScriptRunner, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await listMigrations(dir);
  return runner.transaction(async (tx) => {
    // 0x43686f72 = "Chor": an arbitrary but fixed key for this application's migrations.
    await tx.query('SELECT pg_advisory_xact_lock(1130917746)');
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
    const unknown = [...done].filter((n) => !files.includes(n));
    if (unknown.length > 0) {
      throw new Error(`The database has migrations this code does not know: ${unknown.join(', ')}`);
    }
    const applied: string[] = [];
    for (const name of files) {
      if (done.has(name)) continue;
      const text = await readFile(new URL(name, `file://${dir}/`), 'utf8');
      try {
        await tx.exec(text);
      } catch (err) {
        throw new Error(`Migration ${name} failed: ${(err as Error).message}`, { cause: err });
      }
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      applied.push(name);
    }
    return applied;
  });
}
