import { type DocKind, type DocRef, DOC_FIELD as FIELD } from '@chorus/domain';
import * as Y from 'yjs';
import type { Db } from '../db/connect.ts';
import { type Tx, withTenant } from '../db/tenant.ts';
import { saveCollabBody } from '../resources/notes/service.ts';
import { saveCollabContent } from '../resources/posts/service.ts';
import { docOf, encodeBatch, readStored } from './batch.ts';
import { mergeTextEdit } from './text.ts';

/**
 * The collaboration layer's data access: the only code that reads or writes collab_documents
 * and collab_updates. Everything runs inside withTenant, so row-level security holds here too.
 */

export { decodeBatch, encodeBatch } from './batch.ts';

export interface LoadedDocument {
  documentId: string;
  /** The snapshot first, then every appended update, in append order. */
  updates: Uint8Array[];
  /** Appended rows not yet folded into the snapshot. */
  pendingRows: number;
  storedBytes: number;
  /** The post's content or note's body as the row holds it now. */
  rowText: string;
  /** Posts only: the status, since published posts are no longer editable. */
  status: string | null;
}

async function lockTarget(tx: Tx, ref: DocRef): Promise<{ text: string; status: string | null } | undefined> {
  // FOR SHARE on the post/note first keeps one lock order with API writes (row, then document)
  // and makes a seed read the text of any PATCH that is committing right now.
  if (ref.kind === 'post') {
    const r = await tx
      .selectFrom('scheduled_posts')
      .select(['content', 'status'])
      .where('id', '=', ref.id)
      .forShare()
      .executeTakeFirst();
    return r && { text: r.content, status: r.status };
  }
  const r = await tx.selectFrom('notes').select('body').where('id', '=', ref.id).forShare().executeTakeFirst();
  return r && { text: r.body, status: null };
}

function seedUpdate(kind: DocKind, text: string): Uint8Array {
  const doc = new Y.Doc();
  if (text) doc.getText(FIELD[kind]).insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/**
 * Reads a document under a share lock (so no compaction interleaves between reading the
 * snapshot and the updates). A document seen for the first time is created here, on the
 * server, seeded from the row's text; INSERT .. ON CONFLICT lets exactly one seed win when
 * several nodes load at once. Answers undefined when the post/note is not visible (unknown,
 * or another organisation's: RLS hides it).
 */
export async function loadDocument(db: Db, organisationId: string, ref: DocRef): Promise<LoadedDocument | undefined> {
  return withTenant(db, organisationId, async (tx) => {
    const target = await lockTarget(tx, ref);
    if (!target) return undefined;
    let doc = await readStored(tx, { name: ref.name }, 'share');
    if (!doc) {
      await tx
        .insertInto('collab_documents')
        .values({
          organisation_id: organisationId,
          name: ref.name,
          scheduled_post_id: ref.kind === 'post' ? ref.id : null,
          note_id: ref.kind === 'note' ? ref.id : null,
          snapshot: Buffer.from(seedUpdate(ref.kind, target.text)),
          base_text: target.text,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      doc = await readStored(tx, { name: ref.name }, 'share');
      if (!doc) throw new Error(`collab document ${ref.name} vanished while loading`);
    }
    return {
      documentId: doc.id,
      updates: doc.updates,
      pendingRows: doc.seqs.length,
      storedBytes: doc.bytes,
      rowText: target.text,
      status: target.status,
    };
  });
}

export interface AppendRow {
  documentId: string;
  /** encodeBatch(updates) */
  data: Uint8Array;
  userId: string | null;
}

/** Appends update batches of one organisation's documents in one transaction (one round trip). */
export async function appendUpdates(db: Db, organisationId: string, rows: AppendRow[]): Promise<void> {
  if (rows.length === 0) return;
  await withTenant(db, organisationId, (tx) =>
    tx
      .insertInto('collab_updates')
      .values(
        rows.map((r) => ({
          organisation_id: organisationId,
          document_id: r.documentId,
          data: Buffer.from(r.data),
          created_by: r.userId,
          updated_by: r.userId,
        })),
      )
      .execute(),
  );
}

/**
 * Folds the appended updates into the snapshot and deletes exactly the rows folded, in one
 * transaction. `fold` turns the stored updates (snapshot first) into the new snapshot; the
 * node's live document does this best, since it already holds nearly all of them. Answers
 * undefined when the document is gone.
 */
export async function compactDocument(
  db: Db,
  organisationId: string,
  documentId: string,
  fold: (updates: Uint8Array[]) => Uint8Array = foldUpdates,
): Promise<{ snapshot: Uint8Array; folded: number } | undefined> {
  return withTenant(db, organisationId, async (tx) => {
    const doc = await readStored(tx, { id: documentId }, 'update');
    if (!doc) return undefined;
    if (doc.seqs.length === 0) return { snapshot: doc.updates[0]!, folded: 0 };
    const snapshot = fold(doc.updates);
    await tx
      .updateTable('collab_documents')
      .set({ snapshot: Buffer.from(snapshot), compacted_at: new Date() })
      .where('id', '=', documentId)
      .execute();
    for (let i = 0; i < doc.seqs.length; i += 10_000) {
      await tx
        .deleteFrom('collab_updates')
        .where('seq', 'in', doc.seqs.slice(i, i + 10_000))
        .execute();
    }
    return { snapshot, folded: doc.seqs.length };
  });
}

/** Applies updates to a scratch document and re-encodes it; deleted text is garbage-collected. */
export function foldUpdates(updates: Uint8Array[]): Uint8Array {
  const doc = docOf(updates);
  const out = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return out;
}

export interface MergeResult {
  /** The diff as a Yjs update, already appended in the caller's transaction. */
  update: Uint8Array;
}

/**
 * Merges an API edit into a stored document, in the API's own transaction: under the
 * document's lock, computes a minimal diff from the document's current text to `text` and
 * appends it as one update. `local` is this node's live copy, if loaded: its unflushed edits
 * become part of the base (and are stored alongside, so the diff's dependencies are durable in
 * the same transaction). Answers undefined when the document was never opened (the row's text,
 * which the caller has just written, then seeds it on first open).
 */
export async function mergeIntoDocument(
  tx: Tx,
  organisationId: string,
  ref: DocRef,
  text: string,
  local: Y.Doc | undefined,
): Promise<MergeResult | undefined> {
  const doc = await readStored(tx, { name: ref.name }, 'update');
  if (!doc) return undefined;
  const scratch = docOf(doc.updates);
  try {
    const stored = Y.encodeStateVector(scratch);
    const extra: Uint8Array[] = [];
    if (local) {
      const unflushed = Y.encodeStateAsUpdate(local, stored);
      Y.applyUpdate(scratch, unflushed);
      if (unflushed.length > 2) extra.push(unflushed);
    }
    const before = Y.encodeStateVector(scratch);
    mergeTextEdit(scratch.getText(FIELD[ref.kind]), doc.baseText, text);
    const update = Y.encodeStateAsUpdate(scratch, before);
    const data = [...extra, update].map((u) => ({
      organisation_id: organisationId,
      document_id: doc.id,
      data: Buffer.from(encodeBatch([u])),
    }));
    await tx.insertInto('collab_updates').values(data).execute();
    await tx.updateTable('collab_documents').set({ base_text: text }).where('id', '=', doc.id).execute();
    return { update };
  } finally {
    scratch.destroy();
  }
}

/**
 * Writes the document's text back to the post/note through the resource's own service, so the
 * same rules apply as for a PATCH (approved/client_review/scheduled → in_review, frozen content
 * refused, version bump, change row in the same transaction). Answers false when the post/note no longer exists.
 */
export async function saveText(
  db: Db,
  organisationId: string,
  ref: DocRef,
  text: string,
  actorId: string | null,
): Promise<boolean> {
  return withTenant(db, organisationId, async (tx) => {
    const saved =
      ref.kind === 'post'
        ? await saveCollabContent(tx, { postId: ref.id, organisationId, content: text, actorId })
        : await saveCollabBody(tx, { noteId: ref.id, organisationId, body: text, actorId });
    if (!saved) return false;
    const now = ref.kind === 'post' ? (saved as { content: string }).content : (saved as { body: string }).body;
    await tx
      .updateTable('collab_documents')
      .set({ base_text: now })
      .where('name', '=', ref.name)
      .where('base_text', '<>', now)
      .execute();
    return true;
  });
}
