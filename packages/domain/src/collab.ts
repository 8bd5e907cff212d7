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
 * reconnecting; `permissionsChanged` asks the web client to reconnect (it then gets a session
 * that matches the member's current role).
 */
export const COLLAB_CLOSE = {
  unauthenticated: 4401,
  notFound: 4404,
  permissionsChanged: 4000,
  unsupported: 1003,
  invalid: 1007,
  policy: 1008,
  tooBig: 1009,
  internal: 1011,
} as const;

/**
 * A custom y-websocket message type (after sync 0, awareness 1, auth 2, query-awareness 3):
 * the server tells a client whether its session may write, and why not.
 */
export const MSG_SESSION = 100;
export type SessionMode = { readOnly: boolean; reason: 'role' | 'frozen' | null };

/** Socket.IO rooms. */
export const socketRoom = {
  organisation: (id: string) => `org:${id}`,
  user: (id: string) => `user:${id}`,
  campaign: (id: string) => `campaign:${id}`,
  post: (id: string) => `post:${id}`,
};
