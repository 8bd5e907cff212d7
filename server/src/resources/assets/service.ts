import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isUuid } from '@chorus/domain';
import { fileTypeFromBuffer } from 'file-type';
import { type Selectable, sql } from 'kysely';
import type { Assets } from '../../db/schema.ts';
import type { Tx } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { recordChange } from '../../realtime/changes.ts';
import { type Actor, auditOf, createdCursor, encodeCursor, micros, pathId, toPage } from '../common.ts';
import { ALLOWED_TYPES, assetPath, cleanFileName, storageKeyOf, type Upload } from './storage.ts';

export function assetDto(r: Selectable<Assets>) {
  return {
    ...auditOf(r),
    campaignId: r.campaign_id,
    postId: r.scheduled_post_id,
    fileName: r.file_name,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    contentUrl: `/api/v1/assets/${r.id}/content`,
  };
}
export type AssetDto = ReturnType<typeof assetDto>;

export async function getAssetRow(tx: Tx, id: string) {
  const row = await tx.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Problem('not_found', 'No such asset');
  return row;
}

export async function listAssets(tx: Tx, q: { limit: number; cursor?: string; campaignId?: string; postId?: string }) {
  const target = q.campaignId ? pathId(q.campaignId) : pathId(q.postId!);
  const exists = q.campaignId
    ? await tx.selectFrom('campaigns').select('id').where('id', '=', target).executeTakeFirst()
    : await tx.selectFrom('scheduled_posts').select('id').where('id', '=', target).executeTakeFirst();
  if (!exists) throw new Problem('not_found', q.campaignId ? 'No such campaign' : 'No such post');
  const after = createdCursor(q.cursor);
  let query = tx
    .selectFrom('assets')
    .selectAll()
    .select(CREATED_US)
    .where(q.campaignId ? 'campaign_id' : 'scheduled_post_id', '=', target)
    .orderBy('created_at')
    .orderBy('id')
    .limit(q.limit + 1);
  if (after) query = query.where(sql<boolean>`(created_at, id) > (${after.at}::timestamptz, ${after.id}::uuid)`);
  return toPage(await query.execute(), q.limit, assetDto, (r) => encodeCursor(r.created_us, r.id));
}

/**
 * created_at to the microsecond, for cursors: a JavaScript Date keeps milliseconds only, and a
 * cursor rounded down would hand the page's last row out again.
 */
export const CREATED_US = micros('created_at').as('created_us');

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
export async function createAsset(tx: Tx, actor: Actor, assetId: string, upload: Upload): Promise<AssetDto> {
  const target = await uploadTarget(tx, upload.fields);
  const { quota, left } = await storageLeft(tx, actor.organisationId, true);
  if (upload.sizeBytes > left) throw overQuota(quota);
  const row = await tx
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
    .returningAll()
    .executeTakeFirstOrThrow();
  const dto = assetDto(row);
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'asset',
    op: 'insert',
    id: assetId,
    data: dto,
    actorId: actor.userId,
  });
  return dto;
}

export async function deleteAsset(tx: Tx, actor: Actor, id: string): Promise<string> {
  const row = await tx.deleteFrom('assets').where('id', '=', id).returning('storage_key').executeTakeFirst();
  if (!row) throw new Problem('not_found', 'No such asset');
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'asset',
    op: 'delete',
    id,
    actorId: actor.userId,
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
  actor: Actor,
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
