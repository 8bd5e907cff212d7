import * as Y from 'yjs';

/** A note's anchor as the editor paints it. */
export interface AnchorMark {
  id: string;
  start: string;
  end: string;
  resolved: boolean;
  visibility: string;
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
