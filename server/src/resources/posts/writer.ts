import {
  type ApprovalPolicy,
  BACK_TO_REVIEW,
  CHECKS_RULES,
  findMove,
  isFrozen,
  isLocked,
  KEEPS_REASON,
  MOVES,
  type Move,
  mayMake,
  type PostStatus,
  type Role,
  validateForPlatform,
} from '@chorus/domain';
import type { Updateable } from 'kysely';
import type { ScheduledPosts } from '../../db/schema.ts';
import type { Tx } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { recordChanges } from '../../realtime/changes.ts';
import { notifyPostStatus } from '../notifications/service.ts';
import type { RefData } from '../reference-data/service.ts';
import { referenceData } from '../reference-data/service.ts';
import { type PostDto, type PostRow, postDtos } from './dto.ts';

/**
 * The post writer: every change of a post's status or content goes through here, whoever
 * makes it (API edit, status route, collab write-back, restore, the publisher). It checks the
 * move table of @chorus/domain (system moves included), keeps frozen content frozen, sends an
 * edited approved/client_review/scheduled post back to review, and records the change (change
 * feed) and, when the status changes, a version. docs/api-rules.md has the rules in words.
 */

/**
 * A member (by role) or the publisher. An edit's permission is the caller's to check (routes,
 * collab sessions); a move's is checked here, so a move without a role is refused.
 */
export interface PostActor {
  organisationId: string;
  userId: string | null;
  role?: Role | 'system';
}

export interface PostEdit {
  content?: string;
  campaignId?: string;
  platformId?: string;
  scheduledAt?: Date | null;
  /** The post's media changed (assets were attached or taken off in this transaction). */
  mediaChanged?: boolean;
}

export interface PostMove {
  to: PostStatus;
  reason?: string | null;
}

const moveError = (from: string, to: string) => [{ path: 'status', message: `from ${from} to ${to}` }];

/** The approval policy of the post's client; only loaded when the move table depends on it. */
async function policyOf(tx: Tx, before: PostRow): Promise<ApprovalPolicy> {
  if (!MOVES.some((m) => m.from === before.status && m.policy)) return 'team';
  const row = await tx
    .selectFrom('campaigns as c')
    .innerJoin('clients as cl', 'cl.id', 'c.client_id')
    .select('cl.approval_policy')
    .where('c.id', '=', before.campaign_id)
    .executeTakeFirst();
  return (row?.approval_policy as ApprovalPolicy | undefined) ?? 'team';
}

/**
 * The one rule check for a move: 409 invalid_transition when the table has no such move or
 * reserves it to the other side (the publisher's moves to members, members' moves to the
 * publisher), 403 when the member's role may not make it.
 */
export function checkMove(from: PostStatus, to: PostStatus, policy: ApprovalPolicy, actor: Role | 'system'): Move {
  const move = findMove(from, to, policy);
  if (!move)
    throw new Problem('invalid_transition', `A post cannot move from ${from} to ${to}`, {
      errors: moveError(from, to),
    });
  if (move.by === 'system' && actor !== 'system') {
    throw new Problem('invalid_transition', `Only the publisher moves a post from ${from} to ${to}`, {
      errors: moveError(from, to),
    });
  }
  if (actor === 'system' && move.by !== 'system') {
    throw new Problem('invalid_transition', `The publisher does not move a post from ${from} to ${to}`, {
      errors: moveError(from, to),
    });
  }
  if (!mayMake(actor, move))
    throw new Problem('forbidden', `Your role (${actor}) may not move a post from ${from} to ${to}`);
  return move;
}

/** 422 unless the post, as it would be after the move, is fit for its platform and time. */
async function checkMoveTarget(tx: Tx, row: PostRow, to: PostStatus) {
  if (to === 'scheduled' && (!row.scheduled_at || row.scheduled_at.getTime() <= Date.now())) {
    throw new Problem('unprocessable', 'Scheduling needs a scheduledAt in the future', {
      errors: [{ path: 'scheduledAt', message: 'Must be in the future' }],
    });
  }
  if (!CHECKS_RULES.has(to)) return;
  const ref = await referenceData(tx);
  const assets = await tx
    .selectFrom('post_assets as pa')
    .innerJoin('assets as a', 'a.id', 'pa.asset_id')
    .select('a.media_type')
    .where('pa.scheduled_post_id', '=', row.id)
    .execute();
  const violations = validateForPlatform(
    ref.code(row.platform_id)!,
    row.content,
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

/** 409 conflict for an edit of a post whose content is frozen (publishing, published, cancelled). */
export function checkEditable(before: PostRow, edit: PostEdit) {
  if (!isFrozen(before.status)) return;
  const changesContent =
    (edit.content !== undefined && edit.content !== before.content) ||
    (edit.platformId !== undefined && edit.platformId !== before.platform_id) ||
    edit.mediaChanged;
  // A cancelled post may still be moved or re-timed; a locked one takes no edit at all.
  if (changesContent || isLocked(before.status)) {
    throw new Problem('conflict', `A ${before.status} post's content can no longer change`);
  }
}

/**
 * Writes one post, locked by the caller (`before` read FOR UPDATE): an edit, a move, or both
 * (the edit first). Answers the post as GET would.
 */
export async function writePost(
  tx: Tx,
  actor: PostActor,
  before: PostRow,
  change: { edit?: PostEdit; move?: PostMove },
): Promise<PostDto> {
  const edit = change.edit ?? {};
  if (change.edit) checkEditable(before, edit);
  const from = before.status as PostStatus;
  let status = from;
  let reason: string | null = before.status_reason;
  if (change.move) {
    if (!actor.role) throw new Problem('forbidden', 'Only a member or the publisher moves a post');
    checkMove(from, change.move.to, await policyOf(tx, before), actor.role);
    status = change.move.to;
    reason = KEEPS_REASON.has(status) ? (change.move.reason ?? null) : null;
  } else {
    const changesPublished =
      (edit.content !== undefined && edit.content !== before.content) ||
      (edit.platformId !== undefined && edit.platformId !== before.platform_id) ||
      edit.mediaChanged;
    if (changesPublished && BACK_TO_REVIEW.has(from)) {
      status = 'in_review';
      reason = null;
    }
  }
  const set: Updateable<ScheduledPosts> = {
    ...(edit.content !== undefined ? { content: edit.content } : {}),
    ...(edit.campaignId !== undefined ? { campaign_id: edit.campaignId } : {}),
    ...(edit.platformId !== undefined ? { platform_id: edit.platformId } : {}),
    ...(edit.scheduledAt !== undefined ? { scheduled_at: edit.scheduledAt } : {}),
    ...(status !== from || change.move ? { status, status_reason: reason } : {}),
    ...(change.move?.to === 'scheduled' ? { failure_reason: null } : {}),
    updated_by: actor.userId,
  };
  if (change.move) await checkMoveTarget(tx, { ...before, ...(set as Partial<PostRow>) }, status);
  const row = await tx
    .updateTable('scheduled_posts')
    .set(set)
    .where('id', '=', before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const [dto] = await recordWrites(tx, actor, [{ before, after: row, reason: change.move?.reason ?? null }]);
  return dto!;
}

/** Records a new post: its first version (draft) and its insert change. */
export async function recordCreated(tx: Tx, actor: PostActor, row: PostRow): Promise<PostDto> {
  const [dto] = await recordWrites(tx, actor, [{ before: undefined, after: row, reason: null }], undefined, 'insert');
  return dto!;
}

/**
 * The publisher's form of the writer, for a batch of posts locked by the caller: each post's
 * move is checked by the same checkMove, then `apply` writes the outcome columns for the ids
 * that passed (one statement for the batch) and the writer records versions and changes.
 * A row `apply` answers in another status than the move's is refused.
 */
export async function moveBySystem(
  tx: Tx,
  before: PostRow[],
  to: PostStatus,
  apply: (ids: string[]) => Promise<PostRow[]>,
  opts: { ref?: RefData; reason?: (row: PostRow) => string | null } = {},
): Promise<PostRow[]> {
  if (before.length === 0) return [];
  for (const b of before) checkMove(b.status as PostStatus, to, 'team', 'system');
  const after = await apply(before.map((b) => b.id));
  const byId = new Map(before.map((b) => [b.id, b]));
  for (const a of after) {
    if (a.status !== to || !byId.has(a.id)) throw new Error(`publisher wrote post ${a.id} as ${a.status}, not ${to}`);
  }
  await recordWrites(
    tx,
    { organisationId: '', userId: null },
    after.map((a) => ({ before: byId.get(a.id), after: a, reason: opts.reason?.(a) ?? null })),
    opts.ref,
  );
  return after;
}

/** Versions for status changes, then one change-feed record per post (last: it rides on COMMIT). */
async function recordWrites(
  tx: Tx,
  actor: PostActor,
  writes: { before: PostRow | undefined; after: PostRow; reason: string | null }[],
  ref?: RefData,
  op: 'insert' | 'update' = 'update',
): Promise<PostDto[]> {
  const versions = writes.filter((w) => w.before?.status !== w.after.status);
  if (versions.length) {
    await tx
      .insertInto('post_versions')
      .values(
        versions.map((w) => ({
          organisation_id: w.after.organisation_id,
          scheduled_post_id: w.after.id,
          content: w.after.content,
          status: w.after.status,
          reason: w.after.status_reason ?? w.reason ?? w.after.failure_reason,
          created_by: actor.userId,
          updated_by: actor.userId,
        })),
      )
      .execute();
    // Who hears of a move is decided here, so every path that moves a post notifies alike.
    for (const w of versions) if (w.before) await notifyPostStatus(tx, actor.userId, w.after, w.after.status);
  }
  const dtos = await postDtos(
    tx,
    writes.map((w) => w.after),
    ref,
  );
  await recordChanges(
    tx,
    dtos.map((dto, i) => ({
      organisationId: writes[i]!.after.organisation_id,
      entity: 'post' as const,
      op,
      id: dto.id,
      data: dto,
      actorId: actor.userId,
    })),
  );
  return dtos;
}
