import { isUuid } from './ids.ts';
import { MAX_NOTE_CHARS, MAX_POST_CHARS } from './platforms.ts';

/** Collaborative documents (`/collab/<name>`) and realtime rooms; see docs/collaboration.md. */

export type DocKind = 'post' | 'note';

export interface DocRef {
  name: string;
  kind: DocKind;
  id: string;
}

/** The Y.Text each kind of document keeps its text in. */
export const DOC_FIELD: Record<DocKind, string> = { post: 'content', note: 'body' };
/** Longest text each kind of document may hold. */
export const DOC_MAX_CHARS: Record<DocKind, number> = { post: MAX_POST_CHARS, note: MAX_NOTE_CHARS };

export function docName(kind: DocKind, id: string): string {
  return `${kind}:${id}`;
}

export function parseDocName(name: string): DocRef | null {
  const m = /^(post|note):(.+)$/.exec(name);
  // Lower case only: one document, one name.
  if (!m || !isUuid(m[2]!) || m[2] !== m[2]!.toLowerCase()) return null;
  return { name, kind: m[1] as DocKind, id: m[2]! };
}

/**
 * Close codes a collab session ends with. 4400–4499 make the y-websocket client stop
 * reconnecting: 4401 when the session ended (logout, deactivation, revoked), 4404 when the
 * document does not exist (or was deleted).
 */
export const COLLAB_CLOSE = {
  unauthenticated: 4401,
  notFound: 4404,
  unsupported: 1003,
  invalid: 1007,
  policy: 1008,
  tooBig: 1009,
  internal: 1011,
} as const;

/** Socket.IO rooms. */
export const socketRoom = {
  organisation: (id: string) => `org:${id}`,
  user: (id: string) => `user:${id}`,
  campaign: (id: string) => `campaign:${id}`,
  post: (id: string) => `post:${id}`,
};

/** Cursor colours, each with AA contrast for white text. */
export const CURSOR_COLORS = ['#be123c', '#1d4ed8', '#047857', '#7c3aed', '#b45309', '#0e7490', '#a21caf'] as const;

/** A member's cursor colour: the same on every node and in every tab. */
export function userColor(userId: string): string {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return CURSOR_COLORS[Math.abs(hash) % CURSOR_COLORS.length]!;
}

/** Who a cursor belongs to, as the server sets it in every relayed awareness state. */
export interface AwarenessUser {
  id: string;
  name: string;
  color: string;
}

/**
 * y-websocket's auth message (type 2) carries the session's mode. Sub-type 0 is y-protocols'
 * "permission denied" (stock clients log its reason); sub-type 1 is Chorus's "read-write",
 * which stock clients ignore. Reasons: `role` (the member's role may not edit) or
 * `frozen:<status>` (the post's content can no longer change).
 */
export const AUTH_PERMISSION_DENIED = 0;
export const AUTH_READ_WRITE = 1;
