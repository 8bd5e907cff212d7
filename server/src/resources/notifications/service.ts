import type { NotificationType } from '@chorus/domain';
import type { NotificationItem } from '@chorus/shared/events';
import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { dbOf, onCommit, type Tx } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import { createdCursor, encodeCursor, micros, toPage } from '../common.ts';

/**
 * Who hears about what. Every notify* function runs inside the transaction of the change that
 * causes it, writes one row per recipient (never the actor), queues the mail of those who keep
 * e-mail on, and after commit hands the rows to the realtime gateway for the recipients' sockets.
 */

export type NotificationDto = NotificationItem;

export interface LiveNotification {
  userId: string;
  notification: NotificationDto;
  unreadCount: number;
}

type Sink = (batch: LiveNotification[]) => void;
const sinks = new WeakMap<Db, Sink>();

/** The realtime gateway registers here for the database its server writes through. */
export function setNotificationSink(db: Db, sink: Sink | undefined): void {
  if (sink) sinks.set(db, sink);
  else sinks.delete(db);
}

const MANAGERS = ['owner', 'admin', 'manager'];
const EXCERPT = 200;
const excerptOf = (s: string) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1)}…` : flat;
};

interface Draft {
  type: NotificationType;
  postId: string | null;
  campaignId: string | null;
  noteId: string | null;
  excerpt: string;
  reason?: string | null;
}

/** Active members of the organisation, by id, with what the mail needs. */
async function members(tx: Tx, where: { ids?: string[]; roles?: string[] }) {
  let q = tx
    .selectFrom('users as u')
    .innerJoin('reference_data as r', 'r.id', 'u.role_id')
    .select(['u.id', 'u.name', 'u.email', 'u.email_notifications', 'r.code as role'])
    .where('u.is_active', '=', true);
  if (where.ids) {
    if (where.ids.length === 0) return [];
    q = q.where('u.id', 'in', where.ids);
  }
  if (where.roles) q = q.where('r.code', 'in', where.roles);
  return q.execute();
}

async function write(
  tx: Tx,
  organisationId: string,
  actorId: string | null,
  draft: Draft,
  recipients: Awaited<ReturnType<typeof members>>,
): Promise<void> {
  const to = recipients.filter((r, i) => r.id !== actorId && recipients.findIndex((x) => x.id === r.id) === i);
  if (to.length === 0) return;
  const rows = await tx
    .insertInto('notifications')
    .values(
      to.map((r) => ({
        organisation_id: organisationId,
        user_id: r.id,
        type: draft.type,
        scheduled_post_id: draft.postId,
        campaign_id: draft.campaignId,
        note_id: draft.noteId,
        actor_id: actorId,
      })),
    )
    .returning(['id', 'user_id', 'created_at'])
    .execute();
  const actorName = actorId
    ? ((await tx.selectFrom('users').select('name').where('id', '=', actorId).executeTakeFirst())?.name ?? null)
    : null;
  const campaignName = draft.campaignId
    ? ((await tx.selectFrom('campaigns').select('name').where('id', '=', draft.campaignId).executeTakeFirst())?.name ??
      null)
    : null;
  await enqueueMail(
    tx,
    to
      .filter((r) => r.email_notifications)
      .map((r) => ({
        organisationId,
        userId: r.id,
        to: r.email,
        data: {
          kind: 'notification' as const,
          type: draft.type,
          name: r.name,
          actorName,
          postId: draft.postId,
          campaignId: draft.campaignId,
          excerpt: draft.excerpt,
          reason: draft.reason ?? null,
        },
      })),
  );
  const db = dbOf(tx);
  const sink = db && sinks.get(db);
  if (!sink) return;
  const counts = await unreadCounts(
    tx,
    to.map((r) => r.id),
  );
  const batch = rows.map((row) => ({
    userId: row.user_id,
    unreadCount: counts.get(row.user_id) ?? 1,
    notification: {
      id: row.id,
      type: draft.type,
      postId: draft.postId,
      campaignId: draft.campaignId,
      noteId: draft.noteId,
      actorId,
      actorName,
      excerpt: draft.excerpt,
      campaignName,
      createdAt: new Date(row.created_at).toISOString(),
      readAt: null,
    },
  }));
  onCommit(tx, () => sink(batch));
}

async function unreadCounts(tx: Tx, userIds: string[]) {
  const rows = await tx
    .selectFrom('notifications')
    .select(['user_id', sql<number>`count(*)::int`.as('n')])
    .where('user_id', 'in', userIds)
    .where('read_at', 'is', null)
    .groupBy('user_id')
    .execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}

type PostLike = {
  id: string;
  organisation_id: string;
  campaign_id: string;
  content: string;
  created_by: string | null;
  status_reason?: string | null;
  failure_reason?: string | null;
};

/** Client members who take the client's approval step on this post: the members of its client. */
async function clientReviewers(tx: Tx, post: PostLike) {
  const rows = await tx
    .selectFrom('client_members as m')
    .innerJoin('campaigns as c', 'c.client_id', 'm.client_id')
    .select('m.user_id')
    .where('c.id', '=', post.campaign_id)
    .execute();
  return members(tx, { ids: rows.map((r) => r.user_id), roles: ['client'] });
}

/** The post's creator and everyone who wrote its content. */
async function authors(tx: Tx, post: PostLike) {
  const editors = await tx
    .selectFrom('post_editors')
    .select('user_id')
    .where('scheduled_post_id', '=', post.id)
    .execute();
  const ids = [...new Set([...(post.created_by ? [post.created_by] : []), ...editors.map((e) => e.user_id)])];
  return members(tx, { ids });
}

/**
 * A post's status changed (`to` is its new status): review requests to those who may take the
 * next approval step, outcomes to its authors, publish failures to managers and above.
 */
export async function notifyPostStatus(tx: Tx, actorId: string | null, post: PostLike, to: string): Promise<void> {
  const draft = (type: NotificationType, reason?: string | null): Draft => ({
    type,
    postId: post.id,
    campaignId: post.campaign_id,
    noteId: null,
    excerpt: excerptOf(post.content),
    reason,
  });
  switch (to) {
    case 'in_review':
      return write(
        tx,
        post.organisation_id,
        actorId,
        draft('review_requested'),
        await members(tx, { roles: MANAGERS }),
      );
    case 'client_review':
      return write(tx, post.organisation_id, actorId, draft('review_requested'), await clientReviewers(tx, post));
    case 'changes_requested':
      return write(
        tx,
        post.organisation_id,
        actorId,
        draft('changes_requested', post.status_reason),
        await authors(tx, post),
      );
    case 'approved':
      return write(tx, post.organisation_id, actorId, draft('approved'), await authors(tx, post));
    case 'failed':
      return write(
        tx,
        post.organisation_id,
        actorId,
        draft('publish_failed', post.failure_reason),
        await members(tx, { roles: MANAGERS }),
      );
  }
}

const MENTION = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/gi;

/** The member ids a note body mentions, in order, once each. */
export function mentionedIds(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION)].map((m) => m[1]!.toLowerCase()))];
}

type NoteLike = {
  id: string;
  organisation_id: string;
  campaign_id: string | null;
  scheduled_post_id: string | null;
  parent_id: string | null;
  body: string;
  visibility?: string | null;
};

/**
 * A note was written: its mentions (members who may see the note) and, for a reply, the author
 * of the note replied to. A member both mentioned and replied to hears once, as mentioned.
 */
export async function notifyNote(tx: Tx, actorId: string, note: NoteLike, previousBody?: string): Promise<void> {
  let campaignId = note.campaign_id;
  if (!campaignId && note.scheduled_post_id) {
    campaignId =
      (
        await tx
          .selectFrom('scheduled_posts')
          .select('campaign_id')
          .where('id', '=', note.scheduled_post_id)
          .executeTakeFirst()
      )?.campaign_id ?? null;
  }
  const draft = (type: NotificationType): Draft => ({
    type,
    postId: note.scheduled_post_id,
    campaignId,
    noteId: note.id,
    excerpt: excerptOf(note.body),
  });
  const already = new Set(previousBody === undefined ? [] : mentionedIds(previousBody));
  const ids = mentionedIds(note.body).filter((id) => !already.has(id));
  // A client member sees only notes shared with clients.
  const mentioned = (await members(tx, { ids })).filter((m) => m.role !== 'client' || note.visibility === 'client');
  await write(tx, note.organisation_id, actorId, draft('mentioned'), mentioned);
  if (note.parent_id && previousBody === undefined) {
    const parent = await tx.selectFrom('notes').select('author_id').where('id', '=', note.parent_id).executeTakeFirst();
    if (parent && !mentioned.some((m) => m.id === parent.author_id)) {
      await write(tx, note.organisation_id, actorId, draft('replied'), await members(tx, { ids: [parent.author_id] }));
    }
  }
}

// ------------------------------------------------------------------------------------------
// Reading and marking
// ------------------------------------------------------------------------------------------

export async function listNotifications(
  tx: Tx,
  userId: string,
  q: { limit: number; cursor?: string; unread?: boolean },
) {
  const after = createdCursor(q.cursor);
  let query = tx
    .selectFrom('notifications as n')
    .leftJoin('users as a', 'a.id', 'n.actor_id')
    .leftJoin('scheduled_posts as p', 'p.id', 'n.scheduled_post_id')
    .leftJoin('notes as t', 't.id', 'n.note_id')
    .leftJoin('campaigns as c', 'c.id', 'n.campaign_id')
    .select([
      'n.id',
      'n.type',
      'n.scheduled_post_id',
      'n.campaign_id',
      'n.note_id',
      'n.actor_id',
      'a.name as actor_name',
      'p.content as post_content',
      't.body as note_body',
      'c.name as campaign_name',
      'n.created_at',
      'n.read_at',
      micros('n.created_at').as('at'),
    ])
    .where('n.user_id', '=', userId);
  if (q.unread === true) query = query.where('n.read_at', 'is', null);
  if (q.unread === false) query = query.where('n.read_at', 'is not', null);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('n.created_at', '<', sql<Date>`${after.at}::timestamptz`),
        eb.and([eb('n.created_at', '=', sql<Date>`${after.at}::timestamptz`), eb('n.id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const unread = await tx
    .selectFrom('notifications')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    ...toPage(
      rows,
      q.limit,
      (r): NotificationDto => ({
        id: r.id,
        type: r.type as NotificationType,
        postId: r.scheduled_post_id,
        campaignId: r.campaign_id,
        noteId: r.note_id,
        actorId: r.actor_id,
        actorName: r.actor_name,
        excerpt: excerptOf(r.note_body ?? r.post_content ?? ''),
        campaignName: r.campaign_name,
        createdAt: new Date(r.created_at).toISOString(),
        readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
      }),
      (r) => encodeCursor(r.at, r.id),
    ),
    unreadCount: Number(unread.n),
  };
}

export async function markRead(tx: Tx, userId: string, what: { ids?: string[]; all?: boolean }) {
  if (!what.all && !what.ids?.length) {
    throw new Problem('validation_failed', 'Send the ids to mark read, or all: true', {
      errors: [{ path: '(root)', message: 'Expected ids or all: true' }],
    });
  }
  let q = tx
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (!what.all) q = q.where('id', 'in', what.ids!);
  await q.execute();
}
