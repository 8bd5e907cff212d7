import { DOC_FIELD } from '@chorus/domain';
import * as Y from 'yjs';
import { readStoredDocument } from '../../collab/batch.ts';
import type { Tx } from '../../db/tenant.ts';

/** A span of a post's text: base64 of Y.encodeRelativePosition for its start and its end. */
export interface Anchor {
  start: string;
  end: string;
}

function decode(b64: string): Y.RelativePosition | undefined {
  try {
    return Y.decodeRelativePosition(new Uint8Array(Buffer.from(b64, 'base64')));
  } catch {
    return undefined;
  }
}

/**
 * The text between the anchor's two positions in the document now; null when the span was
 * deleted (or the positions do not point into this document's text).
 */
export function spanText(doc: Y.Doc, anchor: Anchor): string | null {
  const text = doc.getText(DOC_FIELD.post);
  const start = decode(anchor.start);
  const end = decode(anchor.end);
  if (!start || !end) return null;
  const a = Y.createAbsolutePositionFromRelativePosition(start, doc);
  const b = Y.createAbsolutePositionFromRelativePosition(end, doc);
  if (!a || !b || a.type !== text || b.type !== text || b.index <= a.index) return null;
  return text.toString().slice(a.index, b.index);
}

/** Reads posts' stored documents once each, for resolving many notes' anchors. */
export class AnchorReader {
  private readonly docs = new Map<string, Promise<Y.Doc | undefined>>();
  private readonly tx: Tx;
  constructor(tx: Tx) {
    this.tx = tx;
  }

  async text(postId: string, anchor: Anchor): Promise<string | null> {
    let doc = this.docs.get(postId);
    if (!doc) {
      doc = readStoredDocument(this.tx, `post:${postId}`);
      this.docs.set(postId, doc);
    }
    const d = await doc;
    return d ? spanText(d, anchor) : null;
  }

  async close(): Promise<void> {
    for (const d of this.docs.values()) (await d)?.destroy();
  }
}
