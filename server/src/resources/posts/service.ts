import { type Selectable, sql } from 'kysely';
import { can } from '../../auth/permissions.ts';
import type { Role } from '../../auth/sessions.ts';
import { validateForPlatform } from '../../connectors/rules.ts';
import type { ScheduledPosts } from '../../db/schema.ts';
import type { Tx } from '../../db/tenant.ts';
import type { CollabBridge } from '../../http/app.ts';
import { Problem } from '../../http/problem.ts';
import { recordChange } from '../../realtime/changes.ts';
import { assetDto } from '../assets/service.ts';
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
import type { PostCreateInput, PostPatchInput } from './schema.ts';
import { CHECKS_RULES, type PostStatus, TRANSITIONS } from './transitions.ts';

type PostRow = Selectable<ScheduledPosts>;

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
    .selectFrom('assets')
    .select(['id', 'scheduled_post_id'])
    .where('scheduled_post_id', 'in', postIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const r of rows) map.get(r.scheduled_post_id!)!.push(r.id);
  return map;
}

export async function postDto(tx: Tx, row: PostRow): Promise<PostDto> {
  const assets = await assetIdsOf(tx, [row.id]);
  return toDto(await referenceData(tx), row, assets.get(row.id)!);
}

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
  const ref = await referenceData(tx);
  const assets = await assetIdsOf(
    tx,
    rows.slice(0, q.limit).map((r) => r.id),
  );
  return toPage(
    rows,
    q.limit,
    (r) => toDto(ref, r, assets.get(r.id) ?? []),
    (r) => encodeCursor(r.sort_key, r.id),
  );
}

/**
 * Makes exactly these assets the post's media. An id the caller cannot see is 422; assets
 * taken off the post go back to its campaign's library (an asset always belongs to one).
 * Answers whether the post's media changed. Every moved asset is announced as an asset update.
 */
async function attachAssets(
  tx: Tx,
  actor: { organisationId: string; userId: string | null },
  post: { id: string; campaign_id: string },
  assetIds: string[],
): Promise<boolean> {
  const unique = [...new Set(assetIds)];
  const found = unique.length ? await tx.selectFrom('assets').select('id').where('id', 'in', unique).execute() : [];
  if (found.length !== unique.length) {
    const known = new Set(found.map((f) => f.id));
    const i = assetIds.findIndex((id) => !known.has(id));
    throw new Problem('unprocessable', 'An asset does not exist in your organisation', {
      errors: [{ path: `assetIds.${i}`, message: 'Unknown asset' }],
    });
  }
  let detach = tx
    .updateTable('assets')
    .set({ scheduled_post_id: null, campaign_id: post.campaign_id, updated_by: actor.userId })
    .where('scheduled_post_id', '=', post.id);
  if (unique.length) detach = detach.where('id', 'not in', unique);
  const moved = await detach.returningAll().execute();
  if (unique.length) {
    const attached = await tx
      .updateTable('assets')
      .set({ scheduled_post_id: post.id, campaign_id: null, updated_by: actor.userId })
      .where('id', 'in', unique)
      .where((eb) => eb.or([eb('scheduled_post_id', 'is', null), eb('scheduled_post_id', '<>', post.id)]))
      .returningAll()
      .execute();
    moved.push(...attached);
  }
  for (const a of moved) {
    await recordChange(tx, {
      organisationId: actor.organisationId,
      entity: 'asset',
      op: 'update',
      id: a.id,
      data: assetDto(a),
      actorId: actor.userId,
    });
  }
  return moved.length > 0;
}

async function record(
  tx: Tx,
  actor: { organisationId: string; userId: string | null },
  op: 'insert' | 'update',
  row: PostRow,
) {
  const dto = await postDto(tx, row);
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'post',
    op,
    id: row.id,
    data: dto,
    actorId: actor.userId,
  });
  return dto;
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
  if (input.assetIds?.length) await attachAssets(tx, actor, row, input.assetIds);
  return record(tx, actor, 'insert', row);
}

const UNEDITABLE = new Set(['published', 'publishing']);
/** Statuses a change of what gets published (text, platform, media) sends back to review. */
const BACK_TO_REVIEW = new Set(['approved', 'scheduled']);

/**
 * Edits a post. A change to what would be published (content, platform or media) of an
 * approved or scheduled post sends it back to review; a PATCH of content is also merged into
 * the live collaborative document, if any.
 */
export async function updatePost(
  tx: Tx,
  actor: Actor,
  id: string,
  patch: PostPatchInput,
  expectedVersion: number | undefined,
  collab?: CollabBridge,
): Promise<PostDto> {
  const current = await lockForUpdate(
    () => tx.selectFrom('scheduled_posts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
    'post',
    expectedVersion,
  );
  if (UNEDITABLE.has(current.status)) {
    throw new Problem('conflict', `A ${current.status} post can no longer be edited`);
  }
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
  let status = current.status as PostStatus;
  if (status === 'scheduled' && patch.scheduledAt !== undefined) {
    if (!scheduledAt || scheduledAt.getTime() <= Date.now()) {
      throw new Problem('unprocessable', 'A scheduled post needs a future scheduledAt', {
        errors: [{ path: 'scheduledAt', message: 'Must be in the future' }],
      });
    }
  }
  const mediaChanged =
    patch.assetIds !== undefined && (await attachAssets(tx, actor, { id, campaign_id: campaignId }, patch.assetIds));
  if ((contentChanged || platformId !== current.platform_id || mediaChanged) && BACK_TO_REVIEW.has(status))
    status = 'in_review';
  let row: PostRow;
  try {
    row = await tx
      .updateTable('scheduled_posts')
      .set({
        ...(patch.content !== undefined ? { content: patch.content } : {}),
        campaign_id: campaignId,
        platform_id: platformId,
        scheduled_at: scheduledAt,
        status,
        ...(status !== current.status ? { status_reason: null } : {}),
        updated_by: actor.userId,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    fromDbError(err);
  }
  if (contentChanged && collab)
    await collab.mergeText(tx, { kind: 'post', id, organisationId: actor.organisationId }, patch.content!);
  return record(tx, actor, 'update', row);
}

/**
 * Saves text coming from the collaborative document, applying the same rules as a PATCH
 * (approved/scheduled → in_review, version bump by the trigger, a change row). Answers
 * undefined when the post is gone; a published or publishing post keeps its text.
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
  if (current.content === input.content || UNEDITABLE.has(current.status)) return postDto(tx, current);
  const status = BACK_TO_REVIEW.has(current.status) ? 'in_review' : current.status;
  const row = await tx
    .updateTable('scheduled_posts')
    .set({
      content: input.content,
      status,
      ...(status !== current.status ? { status_reason: null } : {}),
      updated_by: input.actorId,
    })
    .where('id', '=', input.postId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return record(tx, { organisationId: input.organisationId, userId: input.actorId }, 'update', row);
}

export function deletePost(tx: Tx, actor: Actor, id: string): Promise<AssetFile[]> {
  return deleteWithCascade(tx, actor, { postId: id });
}

/**
 * Moves a post through CONTRACT §3's status machine (TRANSITIONS). 404 before any 403, then
 * 409 invalid_transition for moves the machine lacks or reserves to the publisher, then 403
 * for the role, then 422 for a missing future time or content the platform refuses.
 */
export async function changeStatus(
  tx: Tx,
  actor: Actor & { role: Role },
  id: string,
  to: PostStatus,
  reason: string | undefined,
  expectedVersion?: number,
): Promise<PostDto> {
  const current = await lockForUpdate(
    () => tx.selectFrom('scheduled_posts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
    'post',
    undefined,
  );
  if (!can(actor.role, 'post:edit'))
    throw new Problem('forbidden', `Your role (${actor.role}) may not change a post's status`);
  if (expectedVersion !== undefined && current.version !== expectedVersion) {
    throw new Problem('precondition_failed', `The post is at version ${current.version}, not ${expectedVersion}`);
  }
  const from = current.status as PostStatus;
  const mover = TRANSITIONS[from][to];
  const moveError = [{ path: 'status', message: `from ${from} to ${to}` }];
  if (!mover)
    throw new Problem('invalid_transition', `A post cannot move from ${from} to ${to}`, { errors: moveError });
  if (mover === 'system') {
    throw new Problem('invalid_transition', `Only the publisher moves a post from ${from} to ${to}`, {
      errors: moveError,
    });
  }
  if (!can(actor.role, mover))
    throw new Problem('forbidden', `Your role (${actor.role}) may not move a post from ${from} to ${to}`);
  if (to === 'scheduled' && (!current.scheduled_at || current.scheduled_at.getTime() <= Date.now())) {
    throw new Problem('unprocessable', 'Scheduling needs a scheduledAt in the future', {
      errors: [{ path: 'scheduledAt', message: 'Must be in the future' }],
    });
  }
  if (CHECKS_RULES.has(to)) {
    const ref = await referenceData(tx);
    const assets = await tx.selectFrom('assets').select('media_type').where('scheduled_post_id', '=', id).execute();
    const violations = validateForPlatform(
      ref.code(current.platform_id)!,
      current.content,
      assets.map((a) => ({ mediaType: a.media_type })),
    );
    if (violations.length) {
      throw new Problem('unprocessable', violations.map((v) => v.message).join('; '), {
        errors: violations.map((v) => ({
          path: v.rule === 'max_length' || v.rule === 'empty' ? 'content' : 'assetIds',
          message: `${v.rule}: ${v.message}`,
        })),
      });
    }
  }
  const row = await tx
    .updateTable('scheduled_posts')
    .set({
      status: to,
      status_reason: to === 'changes_requested' || to === 'cancelled' ? (reason ?? null) : null,
      ...(to === 'scheduled' ? { failure_reason: null } : {}),
      updated_by: actor.userId,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return record(tx, actor, 'update', row);
}
