import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, freshDatabase, type TestDatabase } from '../../test/db.ts';
import { withSystem } from './tenant.ts';

const PG = Boolean(process.env.DATABASE_URL);
describe.runIf(PG)('the connection pool', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database?.close());

  it('survives a connection terminated between two statements of a transaction', async () => {
    let pid = 0;
    let paused!: () => void;
    const between = new Promise<void>((r) => {
      paused = r;
    });
    const doomed = withSystem(database.db, async (tx) => {
      pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx)).rows[0]!.pid;
      paused();
      await new Promise((r) => setTimeout(r, 300)); // no statement in flight: nothing to fail but the client
      await sql`SELECT 1`.execute(tx);
    });
    await between;
    await adminQuery(database.url!, 'SELECT pg_terminate_backend($1)', [pid]);
    await expect(doomed).rejects.toThrow();
    // The process is still here and the pool hands out a working connection.
    const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
