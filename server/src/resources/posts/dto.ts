import type { PostStatus } from '@chorus/domain';
import type { Selectable } from 'kysely';
import type { ScheduledPosts } from '../../db/schema.ts';
import type { Tx } from '../../db/tenant.ts';
import { auditOf } from '../common.ts';
import { type RefData, referenceData } from '../reference-data/service.ts';

export type PostRow = Selectable<ScheduledPosts>;

/** The one mapping from a post row to its API shape. */
function toDto(ref: RefData, r: PostRow, assetIds: string[]) {
  return {
    ...auditOf(r),
    campaignId: r.campaign_id,
    content: r.content,
    platform: ref.code(r.platform_id)!,
    status: r.status as PostStatus,
    statusReason: r.status_reason,
    scheduledAt: r.scheduled_at?.toISOString() ?? null,
    publishedAt: r.published_at?.toISOString() ?? null,
    externalId: r.external_id,
    externalUrl: r.external_url,
    failureReason: r.failure_reason,
    assetIds,
  };
}
export type PostDto = ReturnType<typeof toDto>;

async function assetIdsOf(tx: Tx, postIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(postIds.map((id) => [id, []]));
  if (postIds.length === 0) return map;
  const rows = await tx
    .selectFrom('post_assets')
    .select(['asset_id', 'scheduled_post_id'])
    .where('scheduled_post_id', 'in', postIds)
    .orderBy('scheduled_post_id')
    .orderBy('position')
    .execute();
  for (const r of rows) map.get(r.scheduled_post_id)!.push(r.asset_id);
  return map;
}

/**
 * Posts as GET answers them, many at once (lists, the publisher's batches). `ref` may be
 * passed in when it was loaded before the transaction (PGlite has a single connection).
 */
export async function postDtos(tx: Tx, rows: PostRow[], ref?: RefData): Promise<PostDto[]> {
  if (rows.length === 0) return [];
  const assets = await assetIdsOf(
    tx,
    rows.map((r) => r.id),
  );
  const data = ref ?? (await referenceData(tx));
  return rows.map((r) => toDto(data, r, assets.get(r.id) ?? []));
}

export async function postDto(tx: Tx, row: PostRow): Promise<PostDto> {
  return (await postDtos(tx, [row]))[0]!;
}
