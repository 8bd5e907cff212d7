import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { clusterName } from './installation.ts';

let one: TestDatabase;
let other: TestDatabase;
beforeAll(async () => {
  [one, other] = await Promise.all([freshDatabase(), freshDatabase()]);
});
afterAll(async () => {
  await one?.close();
  await other?.close();
});

describe('cluster name', () => {
  it('is the same for every connection to one database and differs between databases', async () => {
    const a = await clusterName(one.db);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(await clusterName(one.db)).toBe(a);
    // Test databases are clones of one migrated template: same installation row, other name.
    expect(await clusterName(other.db)).not.toBe(a);
  });
});
