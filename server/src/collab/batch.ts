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

/**
 * A document as stored (snapshot plus appended updates), read inside the caller's transaction
 * (so row-level security applies): undefined when it was never opened. The caller destroys it.
 */
export async function readStoredDocument(tx: Tx, name: string): Promise<Y.Doc | undefined> {
  const doc = await tx
    .selectFrom('collab_documents')
    .select(['id', 'snapshot'])
    .where('name', '=', name)
    .executeTakeFirst();
  if (!doc) return undefined;
  const rows = await tx
    .selectFrom('collab_updates')
    .select('data')
    .where('document_id', '=', doc.id)
    .orderBy('seq')
    .execute();
  const ydoc = new Y.Doc();
  ydoc.transact(() => {
    Y.applyUpdate(ydoc, new Uint8Array(doc.snapshot));
    for (const r of rows) for (const u of decodeBatch(new Uint8Array(r.data))) Y.applyUpdate(ydoc, u);
  });
  return ydoc;
}
