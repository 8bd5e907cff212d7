import type { Tx } from '../../db/tenant.ts';
import { recordChange } from '../../realtime/changes.ts';
import { auditOf, fromDbError, lockForUpdate } from '../common.ts';
import { referenceData } from '../reference-data/service.ts';

export async function getOrganisation(tx: Tx, id: string) {
  const row = await tx.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const ref = await referenceData(tx);
  return {
    ...auditOf(row),
    name: row.name,
    industry: ref.code(row.industry_id),
    subscriptionTier: ref.code(row.subscription_tier_id)!,
  };
}
export type OrganisationDto = NonNullable<Awaited<ReturnType<typeof getOrganisation>>>;

export async function updateOrganisation(
  tx: Tx,
  actor: { userId: string; organisationId: string },
  patch: { name?: string; industry?: string | null; subscriptionTier?: string },
  expectedVersion: number | undefined,
): Promise<OrganisationDto> {
  const ref = await referenceData(tx);
  await lockForUpdate(
    () =>
      tx
        .selectFrom('organisations')
        .select('version')
        .where('id', '=', actor.organisationId)
        .forUpdate()
        .executeTakeFirst(),
    'organisation',
    expectedVersion,
  );
  try {
    await tx
      .updateTable('organisations')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.industry !== undefined
          ? { industry_id: patch.industry === null ? null : ref.id('industry', patch.industry, 'industry') }
          : {}),
        ...(patch.subscriptionTier !== undefined
          ? { subscription_tier_id: ref.id('subscription_tier', patch.subscriptionTier, 'subscriptionTier') }
          : {}),
        updated_by: actor.userId,
      })
      .where('id', '=', actor.organisationId)
      .execute();
  } catch (err) {
    fromDbError(err);
  }
  const org = (await getOrganisation(tx, actor.organisationId))!;
  await recordChange(tx, {
    organisationId: org.id,
    entity: 'organisation',
    op: 'update',
    id: org.id,
    data: org,
    actorId: actor.userId,
  });
  return org;
}
