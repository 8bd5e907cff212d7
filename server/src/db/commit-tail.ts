import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
} from 'kysely';
import pg from 'pg';
import type { Tx } from './tenant.ts';

// Statements that may ride with COMMIT: the change feed's outbox insert closes nearly every
// write transaction, and sending it in the same simple-protocol message as COMMIT saves a
// round trip per write (pgbench: 0.76x -> 0.80-0.83x of a bare small write). PostgreSQL runs the
// statements in order and skips COMMIT if one fails, so the write stays all-or-nothing; the
// error surfaces from the commit and Kysely rolls back.

const tails = new WeakMap<DatabaseConnection, string[]>();
const capable = new WeakSet<DatabaseConnection>();

class TailingPostgresDriver extends PostgresDriver {
  override async acquireConnection(...args: Parameters<Driver['acquireConnection']>): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection(...args);
    capable.add(connection);
    return connection;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const tail = tails.get(connection);
    if (!tail) return super.commitTransaction(connection);
    tails.delete(connection);
    // No parameters: pg sends it with the simple query protocol, which allows several statements.
    await connection.executeQuery(CompiledQuery.raw(`${tail.join(';\n')};\ncommit`, []));
  }

  override async rollbackTransaction(connection: Parameters<PostgresDriver['rollbackTransaction']>[0]): Promise<void> {
    tails.delete(connection);
    return super.rollbackTransaction(connection);
  }
}

/** PostgresDialect whose transactions can send statements along with their COMMIT. */
export class TailingPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;
  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new TailingPostgresDriver(this.#config);
  }
}

// Only what the outbox insert binds: text (uuids and JSON included) and NULL.
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return pg.escapeLiteral(v);
  throw new TypeError(`cannot inline a ${typeof v} parameter`);
}

/**
 * Queues a compiled statement to run just before tx commits, in the same message as COMMIT.
 * Answers false where the database cannot (embedded PGlite): the caller then runs it itself.
 */
export async function runWithCommit(tx: Tx, query: CompiledQuery): Promise<boolean> {
  // Outside a transaction there is no COMMIT to ride with.
  if (!tx.isTransaction) return false;
  return tx.getExecutor().provideConnection(async (connection) => {
    if (!capable.has(connection)) return false;
    const params = query.parameters;
    // Kysely's PostgreSQL compiler writes parameters as $1..$n and never puts user text in the SQL.
    const text = query.sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
    const list = tails.get(connection);
    if (list) list.push(text);
    else tails.set(connection, [text]);
    return true;
  });
}
