import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { seedTenant, type Tenant } from '../../test/fixtures.ts';
import { recordChange } from '../realtime/changes.ts';
import { runWithCommit } from './commit-tail.ts';
import { withTenant } from './tenant.ts';

let database: TestDatabase;
let tenant: Tenant;
beforeAll(async () => {
  database = await freshDatabase();
  tenant = await seedTenant(database.db);
});
afterAll(() => database?.close());

const outbox = () =>
  withTenant(database.db, tenant.orgId, (tx) =>
    tx.selectFrom('change_outbox').select(['entity_id', 'data']).orderBy('id').execute(),
  );
const clientName = () =>
  withTenant(database.db, tenant.orgId, (tx) =>
    tx.selectFrom('clients').select('name').where('id', '=', tenant.clientId).executeTakeFirstOrThrow(),
  );

describe('statements sent with COMMIT', () => {
  it('carry any text through inlined literals exactly as bound parameters would', async () => {
    const hostile = `it's \\ "quoted" $1 $$ E'x' -- ; COMMIT; DROP TABLE clients; \n\t ünïcødé 🎉`;
    await withTenant(database.db, tenant.orgId, (tx) =>
      recordChange(tx, {
        organisationId: tenant.orgId,
        entity: 'client',
        op: 'update',
        id: tenant.clientId,
        data: { name: hostile, nested: [hostile, null, 1.5, true] },
        actorId: null,
      }),
    );
    const rows = await outbox();
    expect(rows.at(-1)).toEqual({
      entity_id: tenant.clientId,
      data: { name: hostile, nested: [hostile, null, 1.5, true] },
    });
  });

  it('keep the write all-or-nothing: a failing one rolls back the whole transaction', async () => {
    const before = await clientName();
    const count = (await outbox()).length;
    await expect(
      withTenant(database.db, tenant.orgId, async (tx) => {
        await tx
          .updateTable('clients')
          .set({ name: 'Renamed in a doomed write' })
          .where('id', '=', tenant.clientId)
          .execute();
        // Breaks the outbox's CHECK on entity: only COMMIT's message finds out.
        const bad = tx.insertInto('change_outbox').values({
          organisation_id: tenant.orgId,
          entity: 'nonsense',
          op: 'update',
          entity_id: tenant.clientId,
        });
        const queued = await runWithCommit(tx, bad.compile());
        expect(queued).toBe(database.kind === 'postgres'); // PGlite runs it in place
        if (!queued) await bad.execute();
      }),
    ).rejects.toThrow(/change_outbox_entity_check/);
    expect(await clientName()).toEqual(before);
    expect(await outbox()).toHaveLength(count);
    // The pooled connection is clean afterwards: the next write commits normally.
    await withTenant(database.db, tenant.orgId, (tx) =>
      tx.updateTable('clients').set({ name: 'Renamed for real' }).where('id', '=', tenant.clientId).execute(),
    );
    expect((await clientName()).name).toBe('Renamed for real');
  });
});
