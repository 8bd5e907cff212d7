export { AUTH_PERMISSION_DENIED, AUTH_READ_WRITE } from '@chorus/domain';

import { type AwarenessUser, COLLAB_CLOSE, mayEditText, userColor } from '@chorus/domain';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import type { SessionUser } from '../auth/sessions.ts';

/**
 * The y-websocket wire protocol as this server speaks it: message types, their encoding, the
 * limits every connection lives under, and the connection itself. See docs/collaboration.md.
 */

// y-websocket message types (y-websocket's own constants).
export const MSG_SYNC = 0;
export const MSG_AWARENESS = 1;
export const MSG_AUTH = 2;
export const MSG_QUERY_AWARENESS = 3;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export interface CollabOptions {
  /** Appended updates wait at most this long to be batched into one insert. */
  flushMs: number;
  /** The text is written back this long after the last edit … */
  writeBackMs: number;
  /** … and at least this often while edits keep coming. */
  writeBackMaxMs: number;
  /** A document nobody is connected to stays loaded this long. */
  idleUnloadMs: number;
  /** Fold appended rows into the snapshot past this many rows or bytes. */
  compactRows: number;
  compactBytes: number;
  /** Largest encoded document (stored history included) a room accepts updates for. */
  maxDocBytes: number;
  /** Largest websocket message. */
  maxMessageBytes: number;
  /** Per-connection token bucket. */
  ratePerSecond: number;
  rateBurst: number;
  /** How often open connections' sessions are re-checked (logout/deactivation). */
  sessionCheckMs: number;
}

export const DEFAULT_OPTIONS: CollabOptions = {
  flushMs: 10,
  writeBackMs: 1_000,
  writeBackMaxMs: 5_000,
  idleUnloadMs: 10_000,
  compactRows: 200,
  compactBytes: 512 * 1024,
  maxDocBytes: 8 * 1024 * 1024,
  maxMessageBytes: 1024 * 1024,
  ratePerSecond: 300,
  rateBurst: 1_000,
  sessionCheckMs: 2_000,
};

export const CLOSE = COLLAB_CLOSE;

/** One websocket connection to a room. */
export class Conn {
  ws: WebSocket;
  user: SessionUser;
  /** Whether the member's role may edit; the room adds whether the post is frozen. */
  mayWrite: boolean;
  readOnly: boolean;
  /** What the client was last told (undefined: nothing yet). */
  toldMode: string | undefined;
  /** The identity every awareness state of this connection carries, whatever the client sent. */
  identity: AwarenessUser;
  /** Awareness client ids this connection has announced (removed when it goes). */
  clientIds = new Set<number>();
  tokens: number;
  refilledAt = performance.now();
  alive = true;
  /** One callback per connection rather than a closure per message sent. */
  readonly onSent = (err?: Error) => {
    if (err) this.ws.terminate();
  };
  constructor(ws: WebSocket, user: SessionUser, burst: number) {
    this.ws = ws;
    this.user = user;
    this.mayWrite = mayEditText(user.role);
    this.readOnly = !this.mayWrite;
    this.identity = { id: user.userId, name: user.name, color: userColor(user.userId) };
    this.tokens = burst;
  }
}

export class ProtocolError extends Error {}
export class TooBig extends Error {}

/** Slow consumers are cut off rather than buffered without bound. */
const MAX_BUFFERED = 16 * 1024 * 1024;

export function send(conn: Conn, msg: Uint8Array) {
  const ws = conn.ws;
  if (ws.readyState !== 1) return;
  if (ws.bufferedAmount > MAX_BUFFERED) {
    ws.terminate();
    return;
  }
  ws.send(msg, BINARY, conn.onSent);
}

const BINARY = { binary: true };

export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MSG_SYNC);
  encoding.writeVarUint(e, SYNC_UPDATE);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MSG_AWARENESS);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** y-websocket's auth message: permission denied (0) with its reason, or read-write (1). */
export function authMessage(kind: number, reason: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MSG_AUTH);
  encoding.writeVarUint(e, kind);
  encoding.writeVarString(e, reason);
  return encoding.toUint8Array(e);
}

/** A client's connection within its limits: a token bucket of messages per second. */
export function takeToken(conn: Conn, opts: Pick<CollabOptions, 'ratePerSecond' | 'rateBurst'>): boolean {
  const now = performance.now();
  conn.tokens = Math.min(opts.rateBurst, conn.tokens + ((now - conn.refilledAt) * opts.ratePerSecond) / 1000);
  conn.refilledAt = now;
  if (conn.tokens < 1) return false;
  conn.tokens -= 1;
  return true;
}
