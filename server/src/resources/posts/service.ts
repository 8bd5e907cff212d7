import { can, isFrozen, type PostStatus, type Role } from '@chorus/domain';
import { sql } from 'kysely';
import type { Tx } from '../../db/tenant.ts';
import type { CollabBridge } from '../../deps.ts';
import { Problem } from '../../http/problem.ts';
import { type AssetFile, deleteWithCascade } from '../cascade.ts';
import {
  type Actor,
  currentOrganisation,
  decodeCursor,
  encodeCursor,
  fromDbError,
  lockForUpdate,
  pathId,
  toPage,
} from '../common.ts';
import { referenceData } from '../reference-data/service.ts';
import { type PostDto, type PostRow, postDto, postDtos } from './dto.ts';
import { mediaOf, setPostMedia } from './media.ts';
import type { PostCreateInput, PostPatchInput } from './schema.ts';
import { checkEditable, type PostActor, recordCreated, writePost } from './writer.ts';

export type { PostDto } from './dto.ts';
export { postDto } from './dto.ts';

export async function getPost(tx: Tx, id: string): Promise<PostDto> {
  const row = await tx.selectFrom('scheduled_posts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Problem('not_found', 'No such post');
  return postDto(tx, row);
}

// Posts without a time sort last: 'infinity' stands in for NULL in the sort key and cursor.
// sort_at is that key as a stored column (migrations/0017), indexed so lists and their from/to
// ranges seek on it.
const sortKey = sql<string>`sort_at`;
// The cursor keeps the database's full microsecond precision: a JS Date would round it to
// milliseconds and a page boundary between two posts in the same millisecond would repeat one.
const sortKeyText = sql<string>`CASE WHEN scheduled_at IS NULL THEN 'infinity'
  ELSE to_char(scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END`.as('sort_key');

/** Strictly what sortKeyText writes, and a real date, so PostgreSQL never refuses the cast. */
function isUtcInstant(key: string): boolean {
  if (!/^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(key)) return false;
  const d = new Date(`${key.slice(0, 19)}Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 19) === key.slice(0, 19);
}

export async function listPosts(
  tx: Tx,
  q: { limit: number; cursor?: string; campaignId?: string; status?: PostStatus; from?: string; to?: string },
) {
  if (q.campaignId !== undefined) {
    const found = await tx
      .selectFrom('campaigns')
      .select('id')
      .where('id', '=', pathId(q.campaignId))
      .executeTakeFirst();
    if (!found) throw new Problem('not_found', 'No such campaign');
  }
  const after = decodeCursor(q.cursor);
  let query = tx
    .selectFrom('scheduled_posts')
    .selectAll()
    .select(sortKeyText)
    .orderBy(sortKey)
    .orderBy('id')
    .limit(q.limit + 1);
  // Each filter picks its index: (campaign_id, key, id), (org, status, key, id) or (org, key, id).
  if (q.campaignId) query = query.where('campaign_id', '=', q.campaignId);
  else query = query.where('organisation_id', '=', currentOrganisation);
  if (q.status) query = query.where('status', '=', q.status);
  // Ranges on the sort key itself; a time filter leaves out unscheduled posts (key 'infinity').
  if (q.from) query = query.where(sortKey, '>=', sql<string>`${new Date(q.from).toISOString()}::timestamptz`);
  if (q.to) query = query.where(sortKey, '<', sql<string>`${new Date(q.to).toISOString()}::timestamptz`);
  else if (q.from) query = query.where(sortKey, '<', sql<string>`'infinity'::timestamptz`);
  if (after) {
    const key = String(after.key);
    if (key !== 'infinity' && !isUtcInstant(key)) {
      throw new Problem('validation_failed', 'The cursor is not valid', {
        errors: [{ path: 'cursor', message: 'Invalid cursor' }],
      });
    }
    // A row comparison: the index seeks straight to the cursor instead of filtering up to it.
    query = query.where(sql<boolean>`(${sortKey}, id) > (${key}::timestamptz, ${after.id}::uuid)`);
  }
  const rows = await query.execute();
  const dtos = new Map((await postDtos(tx, rows.slice(0, q.limit))).map((d) => [d.id, d]));
  return toPage(
    rows,
    q.limit,
    (r) => dtos.get(r.id)!,
    (r) => encodeCursor(r.sort_key, r.id),
  );
}

async function visibleCampaign(tx: Tx, id: string) {
  const campaign = await tx
    .selectFrom('campaigns')
    .select(['id', 'platform_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!campaign) {
    throw new Problem('unprocessable', 'The campaign does not exist in your organisation', {
      errors: [{ path: 'campaignId', message: 'Unknown campaign' }],
    });
  }
  return campaign;
}

export async function createPost(tx: Tx, actor: Actor, input: PostCreateInput): Promise<PostDto> {
  const campaign = await visibleCampaign(tx, input.campaignId);
  const ref = await referenceData(tx);
  let row: PostRow;
  try {
    row = await tx
      .insertInto('scheduled_posts')
      .values({
        organisation_id: actor.organisationId,
        campaign_id: campaign.id,
        content: input.content,
        platform_id: input.platform ? ref.id('platform', input.platform, 'platform') : campaign.platform_id,
        scheduled_at: input.scheduledAt ? new Date(input.scheduledAt) : null,
        created_by: actor.userId,
        updated_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    fromDbError(err);
  }
  if (input.assetIds?.length) await setPostMedia(tx, actor, row, input.assetIds);
  return recordCreated(tx, actor, row);
}

/**
 * Edits a post through the writer: a change to what would be published (content, platform or
 * media) of an approved, client_review or scheduled post sends it back to review, and a frozen
 * post's content is 409. A PATCH of content is also merged into the live collaborative
 * document, if any.
 */
export async function updatePost(
  tx: Tx,
  actor: Actor & { role: Role },
  id: string,
  patch: PostPatchInput,
  expectedVersion: number | undefined,
  collab?: CollabBridge,
): Promise<PostDto> {
  const current = await lockPost(tx, id, expectedVersion);
  const ref = await referenceData(tx);
  const campaignId =
    patch.campaignId !== undefined && patch.campaignId !== current.campaign_id
      ? (await visibleCampaign(tx, patch.campaignId)).id
      : current.campaign_id;
  const platformId =
    patch.platform !== undefined ? ref.id('platform', patch.platform, 'platform') : current.platform_id;
  const contentChanged = patch.content !== undefined && patch.content !== current.content;
  const scheduledAt =
    patch.scheduledAt === undefined
      ? current.scheduled_at
      : patch.scheduledAt === null
        ? null
        : new Date(patch.scheduledAt);
  if (current.status === 'scheduled' && patch.scheduledAt !== undefined) {
    if (!scheduledAt || scheduledAt.getTime() <= Date.now()) {
      throw new Problem('unprocessable', 'A scheduled post needs a future scheduledAt', {
        errors: [{ path: 'scheduledAt', message: 'Must be in the future' }],
      });
    }
  }
  // Frozen content is refused before any media moves.
  const edit = { content: patch.content, campaignId, platformId, scheduledAt };
  if (isFrozen(current.status)) {
    const media =
      patch.assetIds !== undefined && [...new Set(patch.assetIds)].join() !== (await mediaOf(tx, id)).join();
    checkEditable(current, { ...edit, mediaChanged: media });
  }
  // A post moving to another campaign takes its files along: they must belong to the new
  // campaign's client too (setPostMedia checks, and changes nothing when they do).
  const files = patch.assetIds ?? (campaignId !== current.campaign_id ? await mediaOf(tx, id) : undefined);
  const mediaChanged = files !== undefined && (await setPostMedia(tx, actor, { id, campaign_id: campaignId }, files));
  let dto: PostDto;
  try {
    dto = await writePost(tx, actor, current, { edit: { ...edit, mediaChanged } });
  } catch (err) {
    fromDbError(err);
  }
  if (contentChanged && collab)
    await collab.mergeText(tx, { kind: 'post', id, organisationId: actor.organisationId }, patch.content!);
  return dto;
}

async function lockPost(tx: Tx, id: string, expectedVersion: number | undefined): Promise<PostRow> {
  return lockForUpdate(
    () => tx.selectFrom('scheduled_posts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
    'post',
    expectedVersion,
  );
}

/**
 * Saves text coming from the collaborative document through the writer, as its last editor,
 * whose session was allowed to write (so approved/client_review/scheduled → in_review, a version bump, a change row). Answers
 * undefined when the post is gone; a frozen post's text is refused (409) by the writer.
 */
export async function saveCollabContent(
  tx: Tx,
  input: { postId: string; organisationId: string; content: string; actorId: string | null },
): Promise<PostDto | undefined> {
  const current = await tx
    .selectFrom('scheduled_posts')
    .selectAll()
    .where('id', '=', input.postId)
    .forUpdate()
    .executeTakeFirst();
  if (!current) return undefined;
  if (current.content === input.content) return postDto(tx, current);
  const actor: PostActor = { organisationId: input.organisationId, userId: input.actorId };
  return writePost(tx, actor, current, { edit: { content: input.content } });
}

export function deletePost(tx: Tx, actor: Actor, id: string): Promise<AssetFile[]> {
  return deleteWithCascade(tx, actor, { postId: id });
}

/**
 * Moves a post through the status table (@chorus/domain's MOVES) via the writer. 404 before
 * any 403; a member who may make no move at all is 403; then 412 for If-Match, 409
 * invalid_transition for moves the table lacks or reserves to the publisher, 403 for the role,
 * and 422 for a missing future time or content the platform refuses.
 */
export async function changeStatus(
  tx: Tx,
  actor: Actor & { role: Role },
  id: string,
  to: PostStatus,
  reason: string | undefined,
  expectedVersion?: number,
): Promise<PostDto> {
  const current = await lockPost(tx, id, undefined);
  if (!can(actor.role, 'post:edit') && actor.role !== 'client')
    throw new Problem('forbidden', `Your role (${actor.role}) may not change a post's status`);
  if (expectedVersion !== undefined && current.version !== expectedVersion) {
    throw new Problem('precondition_failed', `The post is at version ${current.version}, not ${expectedVersion}`);
  }
  return writePost(tx, actor, current, { move: { to, reason } });
}

// ------------------------------------------------------------------------------------------
// Versions
// ------------------------------------------------------------------------------------------

function versionDto(r: {
  id: string;
  content: string;
  status: string;
  reason: string | null;
  created_at: Date;
  created_by: string | null;
}) {
  return {
    id: r.id,
    content: r.content,
    status: r.status as PostStatus,
    reason: r.reason,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
  };
}

/** A post's versions, newest first: one per status change, with the content at that moment. */
export async function listVersions(tx: Tx, postId: string) {
  await getPost(tx, postId);
  const rows = await tx
    .selectFrom('post_versions')
    .select(['id', 'content', 'status', 'reason', 'created_at', 'created_by'])
    .where('scheduled_post_id', '=', postId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  return { items: rows.map(versionDto) };
}

/** Puts a version's content back: an edit like any other, through the same writer. */
export async function restoreVersion(
  tx: Tx,
  actor: Actor & { role: Role },
  postId: string,
  versionId: string,
  collab?: CollabBridge,
): Promise<PostDto> {
  const current = await lockPost(tx, postId, undefined);
  const version = await tx
    .selectFrom('post_versions')
    .select('content')
    .where('id', '=', versionId)
    .where('scheduled_post_id', '=', postId)
    .executeTakeFirst();
  if (!version) throw new Problem('not_found', 'No such version of this post');
  const dto = await writePost(tx, actor, current, { edit: { content: version.content } });
  if (version.content !== current.content && collab)
    await collab.mergeText(tx, { kind: 'post', id: postId, organisationId: actor.organisationId }, version.content);
  return dto;
}
