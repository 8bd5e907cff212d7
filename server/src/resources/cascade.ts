import { sql } from 'kysely';
import type { Tx } from '../db/tenant.ts';
import { Problem } from '../http/problem.ts';
import { recordChanges } from '../realtime/changes.ts';
import type { Actor } from './common.ts';
import { announceUse } from './posts/media.ts';

export type CascadeRoot = { clientId: string } | { campaignId: string } | { postId: string };

/**
 * What a delete takes with it through ON DELETE CASCADE. Read before the delete, so that every
 * row that goes gets its own delete change (a live calendar must drop a deleted campaign's
 * posts too) and every asset file can be removed once the delete has committed.
 */
async function cascadeOf(tx: Tx, root: CascadeRoot) {
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
  if (targets.length === 0)
    return {
      campaigns,
      posts,
      notes: [] as string[],
      teamNotes: new Set<string>(),
      assets: [] as AssetFile[],
      touched: [] as string[],
    };
  const list = sql`${`{${targets.join(',')}}`}::uuid[]`;
  const notes = await tx
    .selectFrom('notes')
    .select(['id', 'visibility'])
    .where(sql<boolean>`target_id = ANY(${list})`)
    .execute();
  const doomedPosts = sql`${`{${posts.join(',')}}`}::uuid[]`;
  // A file whose home goes but which a surviving post still uses moves home to that post
  // (the oldest such use) instead of vanishing from it.
  const rehomed = (
    await sql<{ id: string }>`
      UPDATE assets a SET scheduled_post_id = keep.post_id, campaign_id = NULL
        FROM (SELECT DISTINCT ON (pa.asset_id) pa.asset_id, pa.scheduled_post_id AS post_id
                FROM post_assets pa JOIN assets x ON x.id = pa.asset_id
               WHERE coalesce(x.campaign_id, x.scheduled_post_id) = ANY(${list})
                 AND NOT pa.scheduled_post_id = ANY(${doomedPosts})
               ORDER BY pa.asset_id, pa.created_at, pa.scheduled_post_id) keep
       WHERE a.id = keep.asset_id
      RETURNING a.id`.execute(tx)
  ).rows.map((r) => r.id);
  const assets = await tx
    .selectFrom('assets')
    .select(['id', 'storage_key'])
    .where(sql<boolean>`coalesce(campaign_id, scheduled_post_id) = ANY(${list})`)
    .execute();
  const gone = new Set(assets.map((a) => a.id));
  // Files that stay but lose a post that used them: their usage counts change.
  const used = await tx
    .selectFrom('post_assets')
    .select('asset_id')
    .distinct()
    .where(sql<boolean>`scheduled_post_id = ANY(${doomedPosts})`)
    .execute();
  return {
    campaigns,
    posts,
    notes: notes.map((n) => n.id),
    teamNotes: new Set(notes.filter((n) => n.visibility !== 'client').map((n) => n.id)),
    assets: assets.map((a) => ({ id: a.id, storageKey: a.storage_key })),
    touched: [...new Set([...rehomed, ...used.map((u) => u.asset_id)])].filter((id) => !gone.has(id)),
  };
}

export interface AssetFile {
  id: string;
  storageKey: string;
}

const ROOTS = {
  clientId: { table: 'clients', entity: 'client', name: 'client' },
  campaignId: { table: 'campaigns', entity: 'campaign', name: 'campaign' },
  postId: { table: 'scheduled_posts', entity: 'post', name: 'post' },
} as const;

/**
 * Deletes a client, campaign or post with everything that cascades from it, recording a delete
 * change for each row in the same transaction (children first, the root last). Answers the
 * asset files to remove once the transaction has committed.
 */
export async function deleteWithCascade(tx: Tx, actor: Actor, root: CascadeRoot): Promise<AssetFile[]> {
  const key = Object.keys(root)[0] as keyof typeof ROOTS;
  const { table, entity, name } = ROOTS[key];
  const id = (root as Record<string, string>)[key]!;
  const cascade = await cascadeOf(tx, root);
  // Everything under the root belongs to one client, whose members are told what went
  // (team-only notes aside).
  const clientId = await clientOf(tx, root);
  const res = await tx.deleteFrom(table).where('id', '=', id).executeTakeFirst();
  if (res.numDeletedRows !== 1n) throw new Problem('not_found', `No such ${name}`);
  // Children first, the root last; cascadeOf lists the root itself among campaigns or posts.
  const gone = [
    ...cascade.assets.map((a) => ['asset', a.id] as const),
    ...cascade.notes.map((n) => ['note', n] as const),
    ...cascade.posts.map((p) => ['post', p] as const),
    ...cascade.campaigns.map((c) => ['campaign', c] as const),
  ].filter(([, x]) => x !== id);
  await recordChanges(
    tx,
    [...gone, [entity, id] as const].map(([e, x]) => ({
      organisationId: actor.organisationId,
      entity: e,
      op: 'delete' as const,
      id: x,
      actorId: actor.userId,
      clientId: e === 'note' && cascade.teamNotes.has(x) ? null : clientId,
    })),
  );
  await announceUse(tx, actor, cascade.touched);
  return cascade.assets;
}

async function clientOf(tx: Tx, root: CascadeRoot): Promise<string | null> {
  if ('clientId' in root) return root.clientId;
  const row =
    'campaignId' in root
      ? await tx.selectFrom('campaigns').select('client_id').where('id', '=', root.campaignId).executeTakeFirst()
      : await tx
          .selectFrom('scheduled_posts as p')
          .innerJoin('campaigns as c', 'c.id', 'p.campaign_id')
          .select('c.client_id')
          .where('p.id', '=', root.postId)
          .executeTakeFirst();
  return row?.client_id ?? null;
}
