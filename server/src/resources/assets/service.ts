import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isUuid } from '@chorus/domain';
import { fileTypeFromBuffer } from 'file-type';
import { sql } from 'kysely';
import type { Tx } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { recordChange } from '../../realtime/changes.ts';
import { createdCursor, encodeCursor, micros, pathId, toPage } from '../common.ts';
import { appendPostMedia, detachEverywhere } from '../posts/media.ts';
import type { PostActor } from '../posts/writer.ts';
import { type AssetDto, type AssetRow, assetClientId, assetDto, assetDtos, selectAssets } from './dto.ts';
import { ALLOWED_TYPES, assetPath, cleanFileName, storageKeyOf, type Upload } from './storage.ts';

export { type AssetDto, assetDto, assetDtos } from './dto.ts';

export async function getAssetRow(tx: Tx, id: string): Promise<AssetRow> {
  const row = await selectAssets(tx).where('a.id', '=', id).executeTakeFirst();
  if (!row) throw new Problem('not_found', 'No such asset');
  return row;
}

export type AssetKind = 'image' | 'video' | 'document';

export interface AssetQuery {
  limit: number;
  cursor?: string;
  campaignId?: string;
  postId?: string;
  clientId?: string;
  type?: AssetKind;
  q?: string;
  order?: 'oldest' | 'newest';
}

/**
 * A campaign's files (uploaded to it), a post's media (in any order: the post's assetIds hold
 * its order) or, with neither, the organisation's library, narrowed by client, kind and name.
 */
export async function listAssets(tx: Tx, q: AssetQuery, organisationId: string) {
  const exists = async (table: 'campaigns' | 'scheduled_posts' | 'clients', id: string, what: string) => {
    if (!(await tx.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()))
      throw new Problem('not_found', `No such ${what}`);
  };
  const campaignId = q.campaignId === undefined ? undefined : pathId(q.campaignId);
  const postId = q.postId === undefined ? undefined : pathId(q.postId);
  const clientId = q.clientId === undefined ? undefined : pathId(q.clientId);
  if (campaignId) await exists('campaigns', campaignId, 'campaign');
  if (postId) await exists('scheduled_posts', postId, 'post');
  if (clientId) await exists('clients', clientId, 'client');
  const after = createdCursor(q.cursor);
  const newest = q.order === 'newest';
  let query = selectAssets(tx)
    .select(CREATED_US)
    .where('a.organisation_id', '=', organisationId)
    .orderBy('a.created_at', newest ? 'desc' : 'asc')
    .orderBy('a.id', newest ? 'desc' : 'asc')
    .limit(q.limit + 1);
  if (campaignId) query = query.where('a.campaign_id', '=', campaignId);
  if (postId)
    query = query.where(sql<boolean>`a.id IN (SELECT asset_id FROM post_assets WHERE scheduled_post_id = ${postId})`);
  if (clientId) {
    query = query.where(
      sql<boolean>`(a.campaign_id IN (SELECT id FROM campaigns WHERE client_id = ${clientId})
        OR EXISTS (SELECT 1 FROM scheduled_posts p JOIN campaigns c ON c.id = p.campaign_id
                    WHERE p.id = a.scheduled_post_id AND c.client_id = ${clientId}))`,
    );
  }
  if (q.type === 'image') query = query.where('a.media_type', 'like', 'image/%');
  else if (q.type === 'video') query = query.where('a.media_type', 'like', 'video/%');
  else if (q.type === 'document')
    query = query.where('a.media_type', 'not like', 'image/%').where('a.media_type', 'not like', 'video/%');
  if (q.q) query = query.where('a.file_name', 'ilike', `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (after) {
    query = query.where(
      newest
        ? sql<boolean>`(a.created_at, a.id) < (${after.at}::timestamptz, ${after.id}::uuid)`
        : sql<boolean>`(a.created_at, a.id) > (${after.at}::timestamptz, ${after.id}::uuid)`,
    );
  }
  return toPage(await query.execute(), q.limit, assetDto, (r) => encodeCursor(r.created_us, r.id));
}

/**
 * created_at to the microsecond, for cursors: a JavaScript Date keeps milliseconds only, and a
 * cursor rounded down would hand the page's last row out again.
 */
export const CREATED_US = micros('a.created_at').as('created_us');

/** The campaign or post an upload names: exactly one, a UUID (400), visible to the caller (422). */
export async function uploadTarget(
  tx: Tx,
  fields: Record<string, string>,
): Promise<{ campaignId: string | null; postId: string | null }> {
  const { campaignId, postId } = fields;
  if ((campaignId === undefined) === (postId === undefined)) {
    throw new Problem('validation_failed', 'Give exactly one of campaignId or postId', {
      errors: [
        { path: campaignId === undefined ? 'campaignId' : 'postId', message: 'Exactly one of campaignId, postId' },
      ],
    });
  }
  const field = campaignId !== undefined ? 'campaignId' : 'postId';
  const target = (campaignId ?? postId)!;
  if (!isUuid(target)) {
    throw new Problem('validation_failed', `${field} must be a UUID`, {
      errors: [{ path: field, message: 'Invalid UUID' }],
    });
  }
  const visible =
    field === 'campaignId'
      ? await tx.selectFrom('campaigns').select('id').where('id', '=', target).executeTakeFirst()
      : await tx.selectFrom('scheduled_posts').select('id').where('id', '=', target).executeTakeFirst();
  if (!visible) {
    throw new Problem(
      'unprocessable',
      `The ${field === 'campaignId' ? 'campaign' : 'post'} does not exist in your organisation`,
      { errors: [{ path: field, message: 'Unknown' }] },
    );
  }
  return { campaignId: campaignId ?? null, postId: postId ?? null };
}

/** Bytes the organisation may still store (its quota less what its assets take). */
export async function storageLeft(
  tx: Tx,
  organisationId: string,
  lock = false,
): Promise<{ quota: number; left: number }> {
  let org = tx.selectFrom('organisations').select('storage_quota_bytes').where('id', '=', organisationId);
  // Locking the organisation row serialises concurrent uploads so two cannot both squeeze in.
  if (lock) org = org.forUpdate();
  const { storage_quota_bytes: quota } = await org.executeTakeFirstOrThrow();
  const used = await tx
    .selectFrom('assets')
    .select(sql<number>`coalesce(sum(size_bytes), 0)::bigint`.as('n'))
    .executeTakeFirstOrThrow();
  return { quota, left: quota - Number(used.n) };
}

export const overQuota = (quota: number) =>
  new Problem('payload_too_large', `This upload would exceed your organisation's storage quota of ${quota} bytes`);

/**
 * Records an upload already written to its final place (storageKeyOf(org, assetId)). Runs in
 * the caller's transaction; the caller deletes the file if the transaction does not commit.
 */
export async function createAsset(tx: Tx, actor: PostActor, assetId: string, upload: Upload): Promise<AssetDto> {
  const target = await uploadTarget(tx, upload.fields);
  const { quota, left } = await storageLeft(tx, actor.organisationId, true);
  if (upload.sizeBytes > left) throw overQuota(quota);
  await tx
    .insertInto('assets')
    .values({
      id: assetId,
      organisation_id: actor.organisationId,
      campaign_id: target.campaignId,
      scheduled_post_id: target.postId,
      file_name: upload.fileName,
      media_type: upload.mediaType,
      size_bytes: upload.sizeBytes,
      sha256: upload.sha256,
      storage_key: storageKeyOf(actor.organisationId, assetId),
      created_by: actor.userId,
      updated_by: actor.userId,
    })
    .execute();
  // A file uploaded onto a post becomes the last of its media, through the post's rules.
  if (target.postId) await appendPostMedia(tx, actor, target.postId, assetId);
  const [dto] = await assetDtos(tx, [assetId]);
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'asset',
    op: 'insert',
    id: assetId,
    data: dto!,
    actorId: actor.userId,
  });
  return dto!;
}

/** Deletes an asset, first taking it off every post that uses it (409 if one is published). */
export async function deleteAsset(tx: Tx, actor: PostActor, id: string): Promise<string> {
  const home = await tx
    .selectFrom('assets as a')
    .select(assetClientId.as('client_id'))
    .where('a.id', '=', id)
    .executeTakeFirst();
  await detachEverywhere(tx, actor, id);
  const row = await tx.deleteFrom('assets').where('id', '=', id).returning('storage_key').executeTakeFirst();
  if (!row) throw new Problem('not_found', 'No such asset');
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'asset',
    op: 'delete',
    id,
    actorId: actor.userId,
    clientId: home?.client_id ?? null,
  });
  return row.storage_key;
}

/**
 * Stores bytes already in memory as an asset of a campaign or post, inside the caller's
 * transaction (the demo seed, imports). The file is written before the row; if the
 * transaction later rolls back, the caller's cleanup may leave an orphan file, never a row
 * without its file.
 */
export async function createAssetFromBytes(
  tx: Tx,
  dataDir: string,
  actor: PostActor,
  target: { campaignId?: string; postId?: string },
  fileName: string,
  bytes: Uint8Array,
): Promise<AssetDto> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected || !ALLOWED_TYPES.has(detected.mime)) throw new Problem('unsupported_media_type');
  const id = randomUUID();
  const path = assetPath(dataDir, storageKeyOf(actor.organisationId, id));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes, { flag: 'wx' });
  const fields: Record<string, string> = {};
  if (target.campaignId) fields.campaignId = target.campaignId;
  if (target.postId) fields.postId = target.postId;
  try {
    return await createAsset(tx, actor, id, {
      path,
      fields,
      fileName: cleanFileName(fileName),
      mediaType: detected.mime,
      sizeBytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
}
