import type { Db } from '../src/db/connect.ts';
import { withTenant } from '../src/db/tenant.ts';
import { assignPending } from '../src/realtime/sequencer.ts';

/**
 * The change-feed rows recorded for one entity, in seq order. It runs a numbering round first,
 * so a test that reads right after a write does not race the server's own sequencer.
 */
export async function feedRows(db: Db, organisationId: string, entityId: string) {
  await assignPending(db);
  return withTenant(db, organisationId, (tx) =>
    tx
      .selectFrom('changes')
      .select(['entity', 'op', 'data', 'actor_id'])
      .where('entity_id', '=', entityId)
      .orderBy('seq')
      .execute(),
  );
}

/** How many changes the organisation has recorded, numbered or still in the outbox. */
export async function feedCount(db: Db, organisationId: string): Promise<number> {
  await assignPending(db);
  const row = await withTenant(db, organisationId, (tx) =>
    tx
      .selectFrom('changes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  );
  return Number(row.n);
}
