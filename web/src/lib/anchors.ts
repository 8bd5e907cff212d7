import * as Y from 'yjs';

/** A note's anchor as the editor paints it. */
export interface AnchorMark {
  id: string;
  start: string;
  end: string;
  resolved: boolean;
  visibility: string;
}

/** The marks the editor paints: one per thread root that is tied to a span of the text. */
export function anchorMarks(
  notes: Array<{
    id: string;
    parentId: string | null;
    resolved: boolean;
    visibility: string;
    anchor?: { start: string; end: string } | null;
  }>,
): AnchorMark[] {
  return notes
    .filter((n) => n.anchor && !n.parentId)
    .map((n) => ({
      id: n.id,
      start: n.anchor!.start,
      end: n.anchor!.end,
      resolved: n.resolved,
      visibility: n.visibility,
    }));
}

/** A span just selected for a new comment: the API's anchor plus the words it covers. */
export interface NewAnchor {
  start: string;
  end: string;
  quote: string;
}

/** base64 of Y.encodeRelativePosition, the API's form of a position in the post text. */
export function encodePosition(rp: Y.RelativePosition): string {
  let bin = '';
  for (const b of Y.encodeRelativePosition(rp)) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function decodePosition(b64: string, doc: Y.Doc): Y.AbsolutePosition | null {
  try {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(bytes), doc);
  } catch {
    return null;
  }
}
