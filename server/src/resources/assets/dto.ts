import { type Selectable, sql } from 'kysely';
import type { Assets } from '../../db/schema.ts';
import type { Tx } from '../../db/tenant.ts';
import { auditOf, targetClientId } from '../common.ts';

/** The client an asset belongs to: its home campaign's, or its home post's campaign's. */
export const assetClientId = targetClientId('a');

/** How many posts use the asset (post_assets), among those the caller may see. */
const usageCount = sql<number>`(SELECT count(*)::int FROM post_assets pa WHERE pa.asset_id = a.id)`;

/** Assets as the API answers them, from `assets as a`. */
export function selectAssets(tx: Tx) {
  return tx
    .selectFrom('assets as a')
    .selectAll('a')
    .select([assetClientId.as('client_id'), usageCount.as('usage_count')]);
}

export type AssetRow = Selectable<Assets> & { client_id: string; usage_count: number };

export function assetDto(r: AssetRow) {
  return {
    ...auditOf(r),
    campaignId: r.campaign_id,
    postId: r.scheduled_post_id,
    clientId: r.client_id,
    fileName: r.file_name,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    usageCount: r.usage_count,
    contentUrl: `/api/v1/assets/${r.id}/content`,
  };
}
export type AssetDto = ReturnType<typeof assetDto>;

/** These assets as GET answers them, in the order given; ids the caller cannot see are left out. */
export async function assetDtos(tx: Tx, ids: string[]): Promise<AssetDto[]> {
  if (ids.length === 0) return [];
  const rows = await selectAssets(tx).where('a.id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, assetDto(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
