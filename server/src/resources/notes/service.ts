import { MAX_NOTE_CHARS, type Role } from '@chorus/domain';
import { sql } from 'kysely';
import type { Tx } from '../../db/tenant.ts';
import type { CollabBridge } from '../../deps.ts';
import { Problem } from '../../http/problem.ts';
import { recordChange, recordChanges } from '../../realtime/changes.ts';
import {
  type Actor,
  auditOf,
  createdCursor,
  currentOrganisation,
  encodeCursor,
  fromDbError,
  lockForUpdate,
  micros,
  pathId,
  targetClientId,
  toPage,
} from '../common.ts';
import { notifyNote } from '../notifications/service.ts';
import { type Anchor, AnchorReader } from './anchors.ts';
import type { NoteCreateInput } from './schema.ts';

const columns = [
  'n.id',
  'n.campaign_id',
  'n.scheduled_post_id',
  'n.parent_id',
  'n.author_id',
  'u.name as author_name',
  'n.body',
  'n.created_at',
  'n.updated_at',
  'n.created_by',
  'n.updated_by',
  'n.version',
  'n.visibility',
  'n.anchor_start',
  'n.anchor_end',
  'n.quote',
  'n.resolved_at',
  'n.resolved_by',
] as const;

type NoteRow = {
  id: string;
  campaign_id: string | null;
  scheduled_post_id: string | null;
  parent_id: string | null;
  author_id: string;
  author_name: string;
  body: string;
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
  updated_by: string | null;
  version: number;
  visibility: string;
  anchor_start: string | null;
  anchor_end: string | null;
  quote: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
};

function anchorOf(r: NoteRow): Anchor | null {
  return r.anchor_start && r.anchor_end ? { start: r.anchor_start, end: r.anchor_end } : null;
}

export function noteDto(r: NoteRow, anchorText: string | null = null) {
  return {
    ...auditOf(r),
    campaignId: r.campaign_id,
    postId: r.scheduled_post_id,
    parentId: r.parent_id,
    authorId: r.author_id,
    authorName: r.author_name,
    body: r.body,
    visibility: r.visibility as 'team' | 'client',
    anchor: anchorOf(r),
    quote: r.quote,
    anchorText,
    resolved: r.resolved_at !== null,
    resolvedAt: r.resolved_at && new Date(r.resolved_at).toISOString(),
    resolvedBy: r.resolved_by,
  };
}
export type NoteDto = ReturnType<typeof noteDto>;

const base = (tx: Tx) => tx.selectFrom('notes as n').innerJoin('users as u', 'u.id', 'n.author_id').select(columns);

/** Notes as GET answers them: anchored ones with the text their span covers now. */
async function dtos<R extends NoteRow>(tx: Tx, rows: R[]): Promise<Map<R, NoteDto>> {
  const reader = new AnchorReader(tx);
  try {
    const out = new Map<R, NoteDto>();
    for (const r of rows) {
      const anchor = anchorOf(r);
      out.set(r, noteDto(r, anchor && r.scheduled_post_id ? await reader.text(r.scheduled_post_id, anchor) : null));
    }
    return out;
  } finally {
    await reader.close();
  }
}

export async function getNote(tx: Tx, id: string): Promise<NoteDto> {
  const row = await base(tx).where('n.id', '=', id).executeTakeFirst();
  if (!row) throw new Problem('not_found', 'No such note');
  return (await dtos(tx, [row])).get(row)!;
}

/** A thread as a flat list in creation order; replies carry parentId. */
export async function listNotes(tx: Tx, q: { limit: number; cursor?: string; campaignId?: string; postId?: string }) {
  const target = q.campaignId ? pathId(q.campaignId) : pathId(q.postId!);
  const exists = q.campaignId
    ? await tx.selectFrom('campaigns').select('id').where('id', '=', target).executeTakeFirst()
    : await tx.selectFrom('scheduled_posts').select('id').where('id', '=', target).executeTakeFirst();
  if (!exists) throw new Problem('not_found', q.campaignId ? 'No such campaign' : 'No such post');
  const after = createdCursor(q.cursor);
  let query = base(tx)
    .select(micros('n.created_at').as('created_us'))
    .where('n.organisation_id', '=', currentOrganisation)
    .where('n.target_id', '=', target)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .limit(q.limit + 1);
  if (after) query = query.where(sql<boolean>`(n.created_at, n.id) > (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query.execute();
  const answers = await dtos(tx, rows.slice(0, q.limit));
  return toPage(
    rows,
    q.limit,
    (r) => answers.get(r)!,
    (r) => encodeCursor(r.created_us, r.id),
  );
}

const unknown = (path: string, what: string) =>
  new Problem('unprocessable', `The ${what} does not exist in your organisation`, {
    errors: [{ path, message: `Unknown ${what}` }],
  });

export async function createNote(tx: Tx, actor: Actor & { role: Role }, input: NoteCreateInput): Promise<NoteDto> {
  let campaignId = input.campaignId ?? null;
  let postId = input.postId ?? null;
  // A client member's notes are always shared with the client.
  let visibility: 'team' | 'client' = actor.role === 'client' ? 'client' : (input.visibility ?? 'team');
  if (input.parentId) {
    // A reply lives where its parent lives; naming another target is an error, not a move.
    const parent = await tx
      .selectFrom('notes')
      .select(['campaign_id', 'scheduled_post_id', 'visibility'])
      .where('id', '=', input.parentId)
      .executeTakeFirst();
    if (!parent) throw unknown('parentId', 'parent note');
    if (input.visibility !== undefined && actor.role !== 'client' && input.visibility !== parent.visibility) {
      throw new Problem('unprocessable', 'A reply is seen by whoever sees its parent', {
        errors: [{ path: 'visibility', message: "Differs from the parent's visibility" }],
      });
    }
    if (input.anchor) {
      throw new Problem('unprocessable', 'A reply belongs to its thread; only the thread is anchored', {
        errors: [{ path: 'anchor', message: 'Not on a reply' }],
      });
    }
    visibility = parent.visibility as 'team' | 'client';
    if ((campaignId && campaignId !== parent.campaign_id) || (postId && postId !== parent.scheduled_post_id)) {
      throw new Problem('unprocessable', "A reply belongs to its parent's campaign or post", {
        errors: [{ path: campaignId ? 'campaignId' : 'postId', message: "Differs from the parent's target" }],
      });
    }
    campaignId = parent.campaign_id;
    postId = parent.scheduled_post_id;
  } else if (campaignId) {
    if (!(await tx.selectFrom('campaigns').select('id').where('id', '=', campaignId).executeTakeFirst()))
      throw unknown('campaignId', 'campaign');
  } else if (postId) {
    if (!(await tx.selectFrom('scheduled_posts').select('id').where('id', '=', postId).executeTakeFirst()))
      throw unknown('postId', 'post');
  }
  let quote: string | null = null;
  if (input.anchor) {
    if (!postId) {
      throw new Problem('unprocessable', "Only a post's text can be commented on", {
        errors: [{ path: 'anchor', message: 'Needs postId' }],
      });
    }
    const reader = new AnchorReader(tx);
    try {
      quote = await reader.text(postId, input.anchor);
    } finally {
      await reader.close();
    }
    if (!quote) {
      throw new Problem('unprocessable', "The anchor does not cover any of the post's current text", {
        errors: [{ path: 'anchor', message: 'Not a span of the post text' }],
      });
    }
  }
  let id: string;
  try {
    ({ id } = await tx
      .insertInto('notes')
      .values({
        organisation_id: actor.organisationId,
        campaign_id: campaignId,
        scheduled_post_id: postId,
        parent_id: input.parentId ?? null,
        author_id: actor.userId,
        body: input.body,
        visibility,
        anchor_start: input.anchor?.start ?? null,
        anchor_end: input.anchor?.end ?? null,
        quote,
        created_by: actor.userId,
        updated_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow());
  } catch (err) {
    fromDbError(err);
  }
  const dto = await getNote(tx, id);
  await notifyNote(tx, actor.userId, {
    id,
    organisation_id: actor.organisationId,
    campaign_id: campaignId,
    scheduled_post_id: postId,
    parent_id: input.parentId ?? null,
    body: input.body,
    visibility,
  });
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'note',
    op: 'insert',
    id,
    data: dto,
    actorId: actor.userId,
  });
  return dto;
}

/** Authors edit and delete their own notes; owners and admins moderate everyone's. */
function mayModerate(actor: Actor & { role: Role }, authorId: string) {
  if (authorId !== actor.userId && actor.role !== 'owner' && actor.role !== 'admin') {
    throw new Problem('forbidden', "Only a note's author, an owner or an admin may change it");
  }
}

export async function updateNote(
  tx: Tx,
  actor: Actor & { role: Role },
  id: string,
  patch: { body?: string; resolved?: boolean },
  expectedVersion?: number,
  collab?: CollabBridge,
) {
  const current = await lockForUpdate(
    () =>
      tx
        .selectFrom('notes')
        .select(['version', 'author_id', 'body', 'parent_id', 'resolved_at'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst(),
    'note',
    expectedVersion,
  );
  const body = patch.body ?? current.body;
  if (patch.body !== undefined) mayModerate(actor, current.author_id);
  // Anyone who may see a thread may resolve or reopen it: it is about the work, not the note.
  if (patch.resolved !== undefined && current.parent_id !== null) {
    throw new Problem('unprocessable', 'Only a thread (not a reply) is resolved', {
      errors: [{ path: 'resolved', message: 'Not on a reply' }],
    });
  }
  const resolving =
    patch.resolved === undefined || patch.resolved === (current.resolved_at !== null)
      ? {}
      : patch.resolved
        ? { resolved_at: new Date(), resolved_by: actor.userId }
        : { resolved_at: null, resolved_by: null };
  const note = await tx
    .updateTable('notes')
    .set({ body, ...resolving, updated_by: actor.userId })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (body !== current.body) await notifyNote(tx, actor.userId, note, current.body);
  if (collab && body !== current.body)
    await collab.mergeText(tx, { kind: 'note', id, organisationId: actor.organisationId }, body);
  const dto = await getNote(tx, id);
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'note',
    op: 'update',
    id,
    data: dto,
    actorId: actor.userId,
  });
  return dto;
}

/**
 * Saves text coming from the note's collaborative document (the collab engineer's store calls
 * it): updates the body when it differs, bumps the version, records the change, and answers the
 * note as GET would — or undefined when the note no longer exists. A text the API could not
 * accept either (blank, or over 20,000 characters) is not saved; the stored body is answered.
 */
export async function saveCollabBody(
  tx: Tx,
  input: { noteId: string; organisationId: string; body: string; actorId: string | null },
): Promise<NoteDto | undefined> {
  const current = await tx
    .selectFrom('notes')
    .select(['body'])
    .where('id', '=', input.noteId)
    .forUpdate()
    .executeTakeFirst();
  if (!current) return undefined;
  if (
    current.body === input.body ||
    input.body.trim().length === 0 ||
    input.body.length > MAX_NOTE_CHARS ||
    input.body.includes('\u0000')
  )
    return getNote(tx, input.noteId);
  const note = await tx
    .updateTable('notes')
    .set({ body: input.body, updated_by: input.actorId })
    .where('id', '=', input.noteId)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (input.actorId) await notifyNote(tx, input.actorId, note, current.body);
  const dto = await getNote(tx, input.noteId);
  await recordChange(tx, {
    organisationId: input.organisationId,
    entity: 'note',
    op: 'update',
    id: input.noteId,
    data: dto,
    actorId: input.actorId,
  });
  return dto;
}

/** Deleting a note deletes its replies with it (they would lose their context). */
export async function deleteNote(tx: Tx, actor: Actor & { role: Role }, id: string) {
  const current = await tx.selectFrom('notes').select('author_id').where('id', '=', id).executeTakeFirst();
  if (!current) throw new Problem('not_found', 'No such note');
  mayModerate(actor, current.author_id);
  const gone = await tx
    .withRecursive('thread(id)', (qb) =>
      qb
        .selectFrom('notes')
        .select('id')
        .where('id', '=', id)
        .unionAll((q) => q.selectFrom('notes as n').innerJoin('thread as t', 't.id', 'n.parent_id').select('n.id')),
    )
    .selectFrom('thread')
    .select('id')
    .execute();
  // Client members who could read the thread are told it went (a reply shares its root's
  // target and visibility).
  const scope = await tx
    .selectFrom('notes as n')
    .select(sql<string | null>`CASE WHEN n.visibility = 'client' THEN ${targetClientId('n')} END`.as('client_id'))
    .where('n.id', '=', id)
    .executeTakeFirst();
  await tx.deleteFrom('notes').where('id', '=', id).execute();
  await recordChanges(
    tx,
    gone.map((g) => ({
      organisationId: actor.organisationId,
      entity: 'note' as const,
      op: 'delete' as const,
      id: g.id,
      actorId: actor.userId,
      clientId: scope?.client_id ?? null,
    })),
  );
}
