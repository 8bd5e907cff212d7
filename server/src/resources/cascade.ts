import { sql } from 'kysely';
import type { Tx } from '../db/tenant.ts';
import { recordChanges } from '../realtime/changes.ts';
import type { Actor } from './common.ts';

export type CascadeRoot = { clientId: string } | { campaignId: string } | { postId: string };

/**
 * What a delete takes with it through ON DELETE CASCADE. Read before the delete, so that every
 * row that goes gets its own delete change (a live calendar must drop a deleted campaign's
 * posts too) and every asset file can be removed once the delete has committed.
 */
export async function cascadeOf(tx: Tx, root: CascadeRoot) {
  const campaigns =
    'clientId' in root
      ? (await tx.selectFrom('campaigns').select('id').where('client_id', '=', root.clientId).execute()).map(
          (r) => r.id,
        )
      : 'campaignId' in root
        ? [root.campaignId]
        : [];
  const posts =
    'postId' in root
      ? [root.postId]
      : campaigns.length
        ? (await tx.selectFrom('scheduled_posts').select('id').where('campaign_id', 'in', campaigns).execute()).map(
            (r) => r.id,
          )
        : [];
  const targets = [...campaigns, ...posts];
  if (targets.length === 0) return { campaigns, posts, notes: [] as string[], assets: [] as AssetFile[] };
  const list = sql`${`{${targets.join(',')}}`}::uuid[]`;
  const notes = await tx.selectFrom('notes').select('id').where(sql<boolean>`target_id = ANY(${list})`).execute();
  const assets = await tx
    .selectFrom('assets')
    .select(['id', 'storage_key'])
    .where(sql<boolean>`coalesce(campaign_id, scheduled_post_id) = ANY(${list})`)
    .execute();
  return {
    campaigns,
    posts,
    notes: notes.map((n) => n.id),
    assets: assets.map((a) => ({ id: a.id, storageKey: a.storage_key })),
  };
}

export interface AssetFile {
  id: string;
  storageKey: string;
}
export type Cascade = Awaited<ReturnType<typeof cascadeOf>>;

/** One delete change per row the cascade removed (the root's own change is the caller's). */
export async function recordCascade(tx: Tx, actor: Actor, c: Cascade, root: CascadeRoot) {
  const rootId = 'clientId' in root ? root.clientId : 'campaignId' in root ? root.campaignId : root.postId;
  const gone = [
    ...c.assets.map((a) => ['asset', a.id] as const),
    ...c.notes.map((id) => ['note', id] as const),
    ...c.posts.map((id) => ['post', id] as const),
    ...c.campaigns.map((id) => ['campaign', id] as const),
  ].filter(([, id]) => id !== rootId);
  await recordChanges(
    tx,
    gone.map(([entity, id]) => ({
      organisationId: actor.organisationId,
      entity,
      op: 'delete' as const,
      id,
      actorId: actor.userId,
    })),
  );
}
