import type { Selectable } from 'kysely';
import type { ScheduledPosts } from '../db/schema.ts';
import type { Tx } from '../db/tenant.ts';
import { auditOf } from '../resources/common.ts';
import type { PostDto } from '../resources/posts/service.ts';
import type { PostStatus } from '../resources/posts/transitions.ts';
import type { RefData } from '../resources/reference-data/service.ts';

/**
 * The posts as GET answers them, for many rows at once (the publisher settles posts in
 * batches). Typed as the posts service's PostDto so the two cannot drift apart.
 */
export async function postDtos(tx: Tx, ref: RefData, rows: Selectable<ScheduledPosts>[]): Promise<PostDto[]> {
  if (rows.length === 0) return [];
  const assets = await tx
    .selectFrom('assets')
    .select(['id', 'scheduled_post_id'])
    .where(
      'scheduled_post_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const byPost = new Map<string, string[]>();
  for (const a of assets) byPost.set(a.scheduled_post_id!, [...(byPost.get(a.scheduled_post_id!) ?? []), a.id]);
  return rows.map((r) => ({
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
    assetIds: byPost.get(r.id) ?? [],
  }));
}
