import { POST_STATUSES } from '@chorus/domain';
import { type Selectable, sql } from 'kysely';
import type { Campaigns } from '../../db/schema.ts';
import type { Tx } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { recordChange } from '../../realtime/changes.ts';
import { type AssetFile, deleteWithCascade } from '../cascade.ts';
import {
  type Actor,
  auditOf,
  currentOrganisation,
  decodeCursor,
  encodeCursor,
  fromDbError,
  lockForUpdate,
  pathId,
  toPage,
} from '../common.ts';
import { type RefData, referenceData } from '../reference-data/service.ts';
import type { CampaignCreateInput, CampaignPatchInput } from './schema.ts';

const NAME_TAKEN = 'This client already has a campaign with this name';

function toDto(ref: RefData, r: Selectable<Campaigns>) {
  return {
    ...auditOf(r),
    clientId: r.client_id,
    name: r.name,
    platform: ref.code(r.platform_id)!,
    goal: r.goal,
    startDate: r.start_date,
    endDate: r.end_date,
    budgetAmount: r.budget_amount,
    budgetCurrency: r.budget_currency,
  };
}
export type CampaignDto = ReturnType<typeof toDto>;

export async function campaignDto(tx: Tx, r: Selectable<Campaigns>): Promise<CampaignDto> {
  return toDto(await referenceData(tx), r);
}

export async function getCampaign(tx: Tx, id: string): Promise<CampaignDto> {
  const row = await tx.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Problem('not_found', 'No such campaign');
  return campaignDto(tx, row);
}

export async function listCampaigns(tx: Tx, q: { limit: number; cursor?: string; clientId?: string }) {
  if (q.clientId !== undefined) {
    const client = await tx.selectFrom('clients').select('id').where('id', '=', pathId(q.clientId)).executeTakeFirst();
    if (!client) throw new Problem('not_found', 'No such client');
  }
  const after = decodeCursor(q.cursor);
  let query = tx
    .selectFrom('campaigns')
    .selectAll()
    .orderBy('start_date')
    .orderBy('id')
    .limit(q.limit + 1);
  if (q.clientId) query = query.where('client_id', '=', q.clientId);
  else query = query.where('organisation_id', '=', currentOrganisation);
  if (after) {
    const d = String(after.key);
    const t = new Date(`${d}T00:00:00Z`);
    if (!/^(?!0000)\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== d) {
      throw new Problem('validation_failed', 'The cursor is not valid', {
        errors: [{ path: 'cursor', message: 'Invalid cursor' }],
      });
    }
    query = query.where(sql<boolean>`(start_date, id) > (${d}::date, ${after.id}::uuid)`);
  }
  const rows = await query.execute();
  const ref = await referenceData(tx);
  return toPage(
    rows,
    q.limit,
    (r) => toDto(ref, r),
    (r) => encodeCursor(r.start_date, r.id),
  );
}

/** A clientId in a body must name a client the caller can see: 422 naming the field. */
async function visibleClient(tx: Tx, id: string) {
  const client = await tx.selectFrom('clients').select('id').where('id', '=', id).executeTakeFirst();
  if (!client) {
    throw new Problem('unprocessable', 'The client does not exist in your organisation', {
      errors: [{ path: 'clientId', message: 'Unknown client' }],
    });
  }
  return client.id;
}

export async function createCampaign(tx: Tx, actor: Actor, input: CampaignCreateInput): Promise<CampaignDto> {
  await visibleClient(tx, input.clientId);
  const ref = await referenceData(tx);
  let row: Selectable<Campaigns>;
  try {
    row = await tx
      .insertInto('campaigns')
      .values({
        organisation_id: actor.organisationId,
        client_id: input.clientId,
        name: input.name,
        platform_id: ref.id('platform', input.platform, 'platform'),
        goal: input.goal ?? null,
        start_date: input.startDate,
        end_date: input.endDate,
        budget_amount: input.budgetAmount ?? null,
        budget_currency: input.budgetAmount == null ? null : (input.budgetCurrency ?? null),
        created_by: actor.userId,
        updated_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    fromDbError(err, { unique: NAME_TAKEN });
  }
  const dto = await campaignDto(tx, row);
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'campaign',
    op: 'insert',
    id: dto.id,
    data: dto,
    actorId: actor.userId,
  });
  return dto;
}

export async function updateCampaign(
  tx: Tx,
  actor: Actor,
  id: string,
  patch: CampaignPatchInput,
  expectedVersion?: number,
) {
  const current = await lockForUpdate(
    () => tx.selectFrom('campaigns').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
    'campaign',
    expectedVersion,
  );
  const start = patch.startDate ?? current.start_date;
  const end = patch.endDate ?? current.end_date;
  if (end < start) {
    throw new Problem('validation_failed', 'The end date is before the start date', {
      errors: [{ path: 'endDate', message: 'Before the start date' }],
    });
  }
  const ref = await referenceData(tx);
  const amount = patch.budgetAmount !== undefined ? patch.budgetAmount : current.budget_amount;
  const currency = patch.budgetCurrency !== undefined ? patch.budgetCurrency : current.budget_currency;
  if ((amount === null) !== (currency === null)) {
    throw new Problem('validation_failed', 'A budget needs both an amount and a currency', {
      errors: [{ path: amount === null ? 'budgetAmount' : 'budgetCurrency', message: 'Set both or neither' }],
    });
  }
  let row: Selectable<Campaigns>;
  try {
    row = await tx
      .updateTable('campaigns')
      .set({
        ...(patch.clientId !== undefined && patch.clientId !== current.client_id
          ? { client_id: await visibleClient(tx, patch.clientId) }
          : {}),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.platform !== undefined ? { platform_id: ref.id('platform', patch.platform, 'platform') } : {}),
        ...(patch.goal !== undefined ? { goal: patch.goal } : {}),
        start_date: start,
        end_date: end,
        budget_amount: amount,
        budget_currency: currency,
        updated_by: actor.userId,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    fromDbError(err, { unique: NAME_TAKEN });
  }
  const dto = await campaignDto(tx, row);
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'campaign',
    op: 'update',
    id,
    data: dto,
    actorId: actor.userId,
  });
  return dto;
}

export function deleteCampaign(tx: Tx, actor: Actor, id: string): Promise<AssetFile[]> {
  return deleteWithCascade(tx, actor, { campaignId: id });
}

export async function campaignSummary(tx: Tx, id: string) {
  await getCampaign(tx, id);
  const counts = await tx
    .selectFrom('scheduled_posts')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('campaign_id', '=', id)
    .groupBy('status')
    .execute();
  const byStatus = Object.fromEntries(POST_STATUSES.map((s) => [s, 0])) as Record<string, number>;
  for (const c of counts) byStatus[c.status] = c.n;
  // Counts are cumulative: each post's latest snapshot, summed.
  const totals = await sql<{ likes: number; shares: number; comments: number; impressions: number; posts: number }>`
    SELECT coalesce(sum(m.likes), 0)::bigint AS likes, coalesce(sum(m.shares), 0)::bigint AS shares,
           coalesce(sum(m.comments), 0)::bigint AS comments, coalesce(sum(m.impressions), 0)::bigint AS impressions,
           count(m.likes)::int AS posts
    FROM scheduled_posts p
    CROSS JOIN LATERAL (
      SELECT likes, shares, comments, impressions FROM post_metrics pm
      WHERE pm.scheduled_post_id = p.id ORDER BY captured_at DESC LIMIT 1
    ) m
    WHERE p.campaign_id = ${id}
  `.execute(tx);
  const t = totals.rows[0]!;
  return {
    campaignId: id,
    posts: { total: counts.reduce((a, c) => a + c.n, 0), byStatus },
    metrics: {
      likes: t.likes,
      shares: t.shares,
      comments: t.comments,
      impressions: t.impressions,
      postsWithMetrics: t.posts,
    },
  };
}
