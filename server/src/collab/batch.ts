import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { Tx } from '../db/tenant.ts';

/**
 * A stored row holds a batch of updates, framed as a count and length-prefixed updates, in
 * the order they were applied. Merging them with Y.mergeUpdates would cost far more than the
 * edits themselves (it grows worse than linearly with the batch); compaction folds them later.
 */
export function encodeBatch(updates: Uint8Array[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, updates.length);
  for (const u of updates) encoding.writeVarUint8Array(e, u);
  return encoding.toUint8Array(e);
}

export function decodeBatch(data: Uint8Array): Uint8Array[] {
  const d = decoding.createDecoder(data);
  const n = decoding.readVarUint(d);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(decoding.readVarUint8Array(d));
  return out;
}

/** A document as stored: its snapshot first, then every appended update, in order. */
export interface StoredDocument {
  id: string;
  /** The row's text the document last merged an API edit against. */
  baseText: string;
  updates: Uint8Array[];
  /** The appended rows not yet compacted into the snapshot (their seqs), and the bytes stored in all. */
  seqs: number[];
  bytes: number;
}

/**
 * Reads a stored document inside the caller's transaction (so row-level security applies),
 * optionally locking its row: `share` keeps compaction out between reading the snapshot and
 * the updates, `update` serialises writers. Undefined when the document was never opened.
 */
export async function readStored(
  tx: Tx,
  key: { name: string } | { id: string },
  lock?: 'share' | 'update',
): Promise<StoredDocument | undefined> {
  let query = tx
    .selectFrom('collab_documents')
    .select(['id', 'snapshot', 'base_text'])
    .where((eb) => ('name' in key ? eb('name', '=', key.name) : eb('id', '=', key.id)));
  if (lock === 'share') query = query.forShare();
  else if (lock === 'update') query = query.forNoKeyUpdate();
  const doc = await query.executeTakeFirst();
  if (!doc) return undefined;
  const rows = await tx
    .selectFrom('collab_updates')
    .select(['seq', 'data'])
    .where('document_id', '=', doc.id)
    .orderBy('seq')
    .execute();
  const updates: Uint8Array[] = [new Uint8Array(doc.snapshot)];
  let bytes = doc.snapshot.length;
  for (const r of rows) {
    bytes += r.data.length;
    for (const u of decodeBatch(new Uint8Array(r.data))) updates.push(u);
  }
  return { id: doc.id, baseText: doc.base_text, updates, seqs: rows.map((r) => r.seq), bytes };
}

/** A Y.Doc holding these updates, applied in one transaction. The caller destroys it. */
export function docOf(updates: Uint8Array[]): Y.Doc {
  const ydoc = new Y.Doc();
  ydoc.transact(() => {
    for (const u of updates) Y.applyUpdate(ydoc, u);
  });
  return ydoc;
}

/** A document as stored, as a Y.Doc (undefined when it was never opened). The caller destroys it. */
export async function readStoredDocument(tx: Tx, name: string): Promise<Y.Doc | undefined> {
  const stored = await readStored(tx, { name });
  return stored && docOf(stored.updates);
}
