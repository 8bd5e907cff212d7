import type { Tx } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { recordChanges } from '../../realtime/changes.ts';
import { assetClientId, assetDtos } from '../assets/dto.ts';
import type { PostRow } from './dto.ts';
import { checkEditable, type PostActor, writePost } from './writer.ts';

/**
 * A post's media: the assets it uses, in order (post_assets). An asset keeps the home it was
 * uploaded to; any post of the same client may use it, so one file serves many posts and the
 * media library can count them.
 */

export async function mediaOf(tx: Tx, postId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('post_assets')
    .select('asset_id')
    .where('scheduled_post_id', '=', postId)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.asset_id);
}

/**
 * Makes exactly these assets the post's media, in this order. An id the caller cannot see, or
 * a file of another client, is 422 naming it. Answers whether the media changed; each asset
 * whose use changed is announced as an asset update (its usage count moved).
 */
export async function setPostMedia(
  tx: Tx,
  actor: PostActor,
  post: { id: string; campaign_id: string },
  assetIds: string[],
): Promise<boolean> {
  const wanted = [...new Set(assetIds)];
  if (wanted.length) {
    const found = await tx
      .selectFrom('assets as a')
      .select(['a.id', assetClientId.as('client_id')])
      .where('a.id', 'in', wanted)
      .execute();
    const clientOf = new Map(found.map((f) => [f.id, f.client_id]));
    const unknown = assetIds.findIndex((id) => !clientOf.has(id));
    if (unknown >= 0) {
      throw new Problem('unprocessable', 'An asset does not exist in your organisation', {
        errors: [{ path: `assetIds.${unknown}`, message: 'Unknown asset' }],
      });
    }
    const { client_id: client } = await tx
      .selectFrom('campaigns')
      .select('client_id')
      .where('id', '=', post.campaign_id)
      .executeTakeFirstOrThrow();
    const foreign = assetIds.findIndex((id) => clientOf.get(id) !== client);
    if (foreign >= 0) {
      throw new Problem('unprocessable', "A file belongs to another client: use one of this client's files", {
        errors: [{ path: `assetIds.${foreign}`, message: 'Another client’s file' }],
      });
    }
  }
  const had = await mediaOf(tx, post.id);
  if (had.join() === wanted.join()) return false;
  await tx.deleteFrom('post_assets').where('scheduled_post_id', '=', post.id).execute();
  if (wanted.length) {
    await tx
      .insertInto('post_assets')
      .values(
        wanted.map((asset_id, position) => ({
          organisation_id: actor.organisationId,
          scheduled_post_id: post.id,
          asset_id,
          position,
          created_by: actor.userId,
        })),
      )
      .execute();
  }
  const kept = new Set(wanted);
  const before = new Set(had);
  await announceUse(tx, actor, [...had.filter((id) => !kept.has(id)), ...wanted.filter((id) => !before.has(id))]);
  return true;
}

/** Asset updates for files whose usage count changed. */
export async function announceUse(tx: Tx, actor: PostActor, assetIds: string[]) {
  const dtos = await assetDtos(tx, assetIds);
  await recordChanges(
    tx,
    dtos.map((data) => ({
      organisationId: actor.organisationId,
      entity: 'asset' as const,
      op: 'update' as const,
      id: data.id,
      data,
      actorId: actor.userId,
    })),
  );
}

const lockPost = (tx: Tx, id: string) =>
  tx.selectFrom('scheduled_posts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/**
 * Adds a file just uploaded onto a post to the end of its media: an edit of the post through
 * the writer (a published post's media cannot change; an approved one goes back to review).
 */
export async function appendPostMedia(tx: Tx, actor: PostActor, postId: string, assetId: string): Promise<void> {
  const current = await lockPost(tx, postId);
  if (!current) throw new Problem('not_found', 'No such post');
  checkEditable(current, { mediaChanged: true });
  await setPostMedia(tx, actor, current, [...(await mediaOf(tx, postId)), assetId]);
  await writePost(tx, actor, current, { edit: { mediaChanged: true } });
}

/**
 * Takes an asset off every post that uses it, before the asset is deleted: each an edit through
 * the writer, so a published or cancelled post keeps its media (409) and an approved or
 * scheduled one goes back to review.
 */
export async function detachEverywhere(tx: Tx, actor: PostActor, assetId: string): Promise<void> {
  const users = await tx
    .selectFrom('post_assets')
    .select('scheduled_post_id')
    .where('asset_id', '=', assetId)
    .orderBy('scheduled_post_id')
    .execute();
  for (const { scheduled_post_id: id } of users) {
    const current = (await lockPost(tx, id)) as PostRow;
    try {
      checkEditable(current, { mediaChanged: true });
    } catch {
      throw new Problem(
        'conflict',
        `This file is used by a ${current.status} post, whose media can no longer change: it cannot be deleted`,
      );
    }
    await tx.deleteFrom('post_assets').where('scheduled_post_id', '=', id).where('asset_id', '=', assetId).execute();
    await writePost(tx, actor, current, { edit: { mediaChanged: true } });
  }
}
