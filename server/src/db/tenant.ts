import { sql, type Transaction } from 'kysely';
import type { Db } from './connect.ts';
import type { DB } from './schema.ts';

export type Tx = Transaction<DB>;

const afterCommit = new WeakMap<Tx, Array<() => void>>();
const owner = new WeakMap<Tx, Db>();

/** The database handle a transaction was opened on (for per-server hooks run after commit). */
export function dbOf(tx: Tx): Db | undefined {
  return owner.get(tx);
}

/** Runs fn once tx has committed (never if it rolls back): for wake-ups, not for data. */
export function onCommit(tx: Tx, fn: () => void): void {
  const list = afterCommit.get(tx);
  if (list) list.push(fn);
  else afterCommit.set(tx, [fn]);
}

async function run<T>(db: Db, setting: ReturnType<typeof sql>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let current: Tx | undefined;
  const result = await db.transaction().execute(async (tx) => {
    current = tx;
    owner.set(tx, db);
    await setting.execute(tx);
    return fn(tx);
  });
  for (const cb of (current && afterCommit.get(current)) ?? []) {
    try {
      cb();
    } catch {
      // A wake-up that fails must not turn a committed write into an error.
    }
  }
  return result;
}

/**
 * Runs fn in a transaction scoped to one organisation: row-level security then shows and
 * accepts only that organisation's rows (and, for a client member, only its clients' rows). set_config(..., true) is transaction-local, so the
 * setting can never leak to the next user of a pooled connection.
 */
export function withTenant<T>(db: Db, who: string | Caller, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (typeof who === 'string') return run(db, sql`SELECT set_config('app.organisation_id', ${who}, true)`, fn);
  // A client member's transactions also carry its id: the client_scope policies then show
  // only its clients' rows, whatever query runs.
  const clientUser = who.role === 'client' ? who.userId : '';
  return run(
    db,
    sql`SELECT set_config('app.organisation_id', ${who.organisationId}, true), set_config('app.client_user', ${clientUser}, true)`,
    fn,
  );
}

/** Who a request runs as: a client member's transactions see only its clients. */
export interface Caller {
  organisationId: string;
  userId: string;
  role: string;
}

/**
 * Runs fn in a transaction that sees every organisation: only for work that is not inside
 * one tenant (log-in by e-mail, session checks, the change relay, the scheduler).
 */
export function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return run(db, sql`SELECT set_config('app.system', 'on', true)`, fn);
}
