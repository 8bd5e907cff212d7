import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type DocRef, parseDocName } from '@chorus/domain';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { liveSessions, type SessionUser } from '../auth/sessions.ts';
import { onCommit, type Tx, withSystem, withTenant } from '../db/tenant.ts';
import type { AppDeps, CollabBridge } from '../deps.ts';
import { authenticate, requestToken } from '../http/auth.ts';
import { Room, type RoomHost } from './document.ts';
import { type Fanout, localFanout, redisFanout } from './fanout.ts';
import { CLOSE, type CollabOptions, Conn, DEFAULT_OPTIONS, ProtocolError, TooBig, takeToken } from './protocol.ts';
import { nodeUpdateMessage } from './relay.ts';
import { appendUpdates, encodeBatch, mergeIntoDocument } from './store.ts';

/** y-websocket documents live under this path (docs/collaboration.md). */
export const COLLAB_PREFIX = '/collab/';

/**
 * The collaboration server of one node: accepts y-websocket connections under /collab/,
 * keeps the loaded rooms, batches their updates into the database, re-checks sessions, and
 * merges API edits into live documents.
 */
export class CollabService implements RoomHost {
  readonly db: AppDeps['db'];
  readonly logger: AppDeps['logger'];
  readonly opts: CollabOptions;
  fanout: Fanout;
  readonly rooms = new Map<string, Room>();
  private readonly deps: AppDeps;
  private readonly wss: WebSocketServer;
  private readonly toFlush = new Set<Room>();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private flushFailures = 0;
  private sessionTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private http: Server | undefined;

  constructor(deps: AppDeps, opts: Partial<CollabOptions> = {}) {
    this.deps = deps;
    this.db = deps.db;
    this.logger = deps.logger;
    this.opts = { ...DEFAULT_OPTIONS, ...opts };
    this.fanout = localFanout(randomUUID());
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.opts.maxMessageBytes, perMessageDeflate: false });
  }

  async start(http?: Server) {
    if (this.deps.config.redisUrl) {
      this.fanout = await redisFanout(this.deps.config.redisUrl, this.fanout.nodeId, this.logger);
      // Messages may have been lost while disconnected: ask the other nodes again.
      this.fanout.onReconnect(() => {
        for (const r of this.rooms.values()) if (r.state === 'ready') r.hello();
      });
    }
    if (http) {
      this.http = http;
      http.on('upgrade', this.onUpgrade);
    }
    this.sessionTimer = setInterval(() => void this.checkSessions(), this.opts.sessionCheckMs);
    this.sessionTimer.unref();
    this.pingTimer = setInterval(() => this.ping(), 30_000);
    this.pingTimer.unref();
  }

  /** The bridge the API uses to merge a PATCH of content/body into the live document. */
  bridge(): CollabBridge {
    return { mergeText: (tx, target, text) => this.mergeText(tx, target, text) };
  }

  // ---------------------------------------------------------------------------------------
  // Upgrade and connection
  // ---------------------------------------------------------------------------------------

  private onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (!path.startsWith(COLLAB_PREFIX)) return;
    socket.on('error', () => socket.destroy());
    void this.accept(req, socket, head).catch((err) => {
      this.logger.error({ err }, 'collab: upgrade failed');
      socket.destroy();
    });
  };

  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(req.url ?? '/', 'http://collab.invalid');
    let name: string;
    try {
      name = decodeURIComponent(url.pathname.slice(COLLAB_PREFIX.length));
    } catch {
      name = '';
    }
    const user = this.closing ? null : await this.authenticate(req, url);
    if (!user) return this.refuse(req, socket, head, CLOSE.unauthenticated, 'unauthenticated');
    const ref = parseDocName(name);
    if (!ref) return this.refuse(req, socket, head, CLOSE.notFound, 'no such document');
    // The document is shared by everyone who opens it; whether this member may see it is
    // asked per connection, under the member's own row-level security.
    if (user.role === 'client' && !(await this.visibleToClient(user, ref))) {
      return this.refuse(req, socket, head, CLOSE.notFound, 'no such document');
    }
    let room: Room | undefined;
    try {
      room = await this.open(ref, user.organisationId);
    } catch (err) {
      this.logger.error({ err, doc: name }, 'collab: document failed to load');
      return this.refuse(req, socket, head, CLOSE.internal, 'document unavailable');
    }
    if (!room) return this.refuse(req, socket, head, CLOSE.notFound, 'no such document');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (room.state !== 'ready') {
        ws.close(CLOSE.internal, 'document unloading; retry');
        return;
      }
      this.attach(ws, room, user);
    });
  }

  private async visibleToClient(user: SessionUser, ref: DocRef): Promise<boolean> {
    const row = await withTenant(this.deps.db, user, (tx) =>
      ref.kind === 'post'
        ? tx.selectFrom('scheduled_posts').select('id').where('id', '=', ref.id).executeTakeFirst()
        : tx.selectFrom('notes').select('id').where('id', '=', ref.id).executeTakeFirst(),
    );
    return row !== undefined;
  }

  /** Completes the upgrade, then closes with the code so the client sees why. */
  private refuse(req: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string) {
    this.wss.handleUpgrade(req, socket, head, (ws) => ws.close(code, reason));
  }

  private async authenticate(req: IncomingMessage, url: URL): Promise<SessionUser | null> {
    const queryToken = url.searchParams.get('token');
    if (queryToken) return authenticate(this.deps, queryToken);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string') headers.set(k, v);
      else if (Array.isArray(v)) headers.set(k, v.join(', '));
    }
    const found = requestToken(headers);
    if (!found) return null;
    // A cookie rides along on any page's request: only the app's own origins may use it.
    if (found.via === 'cookie') {
      const origin = req.headers.origin;
      if (!origin || !this.deps.config.publicOrigins.includes(origin)) return null;
    }
    return authenticate(this.deps, found.token);
  }

  /** The room of a document, loading it if needed; undefined when not visible to the organisation. */
  async open(ref: DocRef, organisationId: string): Promise<Room | undefined> {
    for (;;) {
      const existing = this.rooms.get(ref.name);
      if (existing && (existing.state === 'closing' || existing.state === 'closed')) {
        await existing.closed;
        if (this.rooms.get(ref.name) === existing) this.rooms.delete(ref.name);
        continue;
      }
      if (existing) {
        const found = await existing.ready;
        if (!found || existing.state !== 'ready') return undefined;
        // Another organisation's document: as if it did not exist.
        if (existing.organisationId !== organisationId) return undefined;
        // A room kept loaded with nobody in it is not followed by the session check: its post
        // may have frozen meanwhile, and a returning client's stored edits must meet that.
        if (existing.ref.kind === 'post') await this.refreshStatus(existing);
        return existing.state === 'ready' ? existing : undefined;
      }
      const room = new Room(this, ref, organisationId);
      this.rooms.set(ref.name, room);
      try {
        const found = await room.ready;
        if (!found) {
          if (this.rooms.get(ref.name) === room) this.rooms.delete(ref.name);
          return undefined;
        }
        return room;
      } catch (err) {
        if (this.rooms.get(ref.name) === room) this.rooms.delete(ref.name);
        throw err;
      }
    }
  }

  private attach(ws: WebSocket, room: Room, user: SessionUser) {
    const conn = new Conn(ws, user, this.opts.rateBurst);
    const close = (code: number, reason: string) => {
      room.removeConn(conn);
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
    };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) return close(CLOSE.unsupported, 'binary messages only');
      if (!takeToken(conn, this.opts)) return close(CLOSE.policy, 'rate limit');
      try {
        room.receive(conn, toBytes(data));
      } catch (err) {
        if (err instanceof TooBig) return close(CLOSE.tooBig, err.message);
        // Truncated varints, garbage updates: this connection goes, the process stays.
        this.logger.debug({ err, doc: room.ref.name }, 'collab: malformed message');
        close(CLOSE.invalid, err instanceof ProtocolError ? err.message : 'malformed message');
      }
    });
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => room.removeConn(conn));
    room.addConn(conn);
  }

  private ping() {
    for (const room of this.rooms.values()) {
      for (const conn of room.conns.values()) {
        if (!conn.alive) {
          conn.ws.terminate();
          continue;
        }
        conn.alive = false;
        conn.ws.ping();
      }
    }
  }

  /**
   * Follows every open connection's member and post on any node, every sessionCheckMs: a
   * session that ended (logout, deactivation, expiry, revoked) closes with 4401; a role change
   * or rename and a post that froze change the connection's mode at once (the client is told,
   * its updates from then on dropped).
   */
  async checkSessions() {
    const byId = new Map<string, { room: Room; conn: Conn }[]>();
    const posts = new Map<string, Room>();
    for (const room of this.rooms.values()) {
      if (room.state !== 'ready') continue;
      if (room.ref.kind === 'post' && room.conns.size > 0) posts.set(room.ref.id, room);
      for (const conn of room.conns.values()) {
        const list = byId.get(conn.user.sessionId) ?? [];
        list.push({ room, conn });
        byId.set(conn.user.sessionId, list);
      }
    }
    if (byId.size === 0) return;
    try {
      const ids = [...byId.keys()];
      const live = new Map<string, { role: SessionUser['role']; name: string }>();
      for (let i = 0; i < ids.length; i += 1000) {
        for (const [id, s] of await liveSessions(this.db, ids.slice(i, i + 1000))) live.set(id, s);
      }
      for (const [id, conns] of byId) {
        const now = live.get(id);
        for (const { room, conn } of conns) {
          if (!now) conn.ws.close(CLOSE.unauthenticated, 'session ended');
          else if (now.role !== conn.user.role || now.name !== conn.user.name) room.setRole(conn, now.role, now.name);
        }
      }
      if (posts.size > 0) {
        const rows = await withSystem(this.db, (tx) =>
          tx
            .selectFrom('scheduled_posts')
            .select(['id', 'status', 'content'])
            .where('id', 'in', [...posts.keys()])
            .execute(),
        );
        for (const r of rows) await posts.get(r.id)?.setStatus(r.status, r.content);
      }
    } catch (err) {
      this.logger.warn({ err }, 'collab: session check failed');
    }
  }

  /** Brings a loaded post room's frozen state up to the row's status. */
  private async refreshStatus(room: Room) {
    const row = await withSystem(this.db, (tx) =>
      tx.selectFrom('scheduled_posts').select(['status', 'content']).where('id', '=', room.ref.id).executeTakeFirst(),
    );
    if (row) await room.setStatus(row.status, row.content);
  }

  // ---------------------------------------------------------------------------------------
  // Batched appends
  // ---------------------------------------------------------------------------------------

  scheduleFlush(room: Room) {
    this.toFlush.add(room);
    if (!this.flushTimer && !this.flushing) this.flushTimer = setTimeout(this.runFlush, this.opts.flushMs);
  }

  private runFlush = () => {
    this.flushTimer = undefined;
    if (this.flushing) return;
    this.flushing = this.flushAll().finally(() => {
      this.flushing = undefined;
      if (this.toFlush.size > 0 && !this.flushTimer) {
        const delay = this.flushFailures ? Math.min(2_000, 50 * 2 ** this.flushFailures) : 0;
        this.flushTimer = setTimeout(this.runFlush, delay);
      }
    });
  };

  /** One insert per organisation carrying every room's pending updates, merged per room. */
  private async flushAll() {
    const rooms = [...this.toFlush];
    this.toFlush.clear();
    const byOrg = new Map<string, { room: Room; updates: Uint8Array[]; data: Uint8Array; user: string | null }[]>();
    for (const room of rooms) {
      if (room.pending.length === 0 || !room.documentId) continue;
      const updates = room.pending;
      room.pending = [];
      const data = encodeBatch(updates);
      const list = byOrg.get(room.organisationId) ?? [];
      list.push({ room, updates, data, user: room.pendingUser });
      byOrg.set(room.organisationId, list);
    }
    let failed = false;
    for (const [org, batch] of byOrg) {
      try {
        await appendUpdates(
          this.db,
          org,
          batch.map((b) => ({ documentId: b.room.documentId, data: b.data, userId: b.user })),
        );
        for (const b of batch) b.room.appended(1, b.data.length);
      } catch (err) {
        failed = true;
        const code = (err as { code?: string }).code;
        if (code === '23503') {
          // A document was deleted with its post/note: find which, and let the others through.
          for (const b of batch) {
            try {
              await appendUpdates(this.db, org, [{ documentId: b.room.documentId, data: b.data, userId: b.user }]);
              b.room.appended(1, b.data.length);
            } catch (e) {
              if ((e as { code?: string }).code === '23503') b.room.gone();
              else this.requeue(b.room, b.updates);
            }
          }
        } else {
          this.logger.warn({ err }, 'collab: append failed; will retry');
          for (const b of batch) this.requeue(b.room, b.updates);
        }
      }
    }
    this.flushFailures = failed ? this.flushFailures + 1 : 0;
  }

  private requeue(room: Room, updates: Uint8Array[]) {
    if (room.state === 'closed') return;
    room.pending = [...updates, ...room.pending];
    this.toFlush.add(room);
  }

  /** Waits until this room's pending updates are stored (or have failed to be). */
  async flushRoom(room: Room) {
    for (let i = 0; i < 50 && (room.pending.length > 0 || this.flushing); i++) {
      if (this.flushing) {
        await this.flushing;
        continue;
      }
      this.toFlush.add(room);
      clearTimeout(this.flushTimer);
      this.runFlush();
      await this.flushing;
    }
    if (room.pending.length > 0) throw new Error('collab: pending updates could not be stored');
  }

  unloaded(room: Room) {
    this.toFlush.delete(room);
    if (this.rooms.get(room.ref.name) === room) this.rooms.delete(room.ref.name);
  }

  // ---------------------------------------------------------------------------------------
  // API merges
  // ---------------------------------------------------------------------------------------

  async mergeText(tx: Tx, target: { kind: 'post' | 'note'; id: string; organisationId: string }, text: string) {
    const ref = parseDocName(`${target.kind}:${target.id}`);
    if (!ref) return;
    const room = this.rooms.get(ref.name);
    const local = room?.state === 'ready' && room.organisationId === target.organisationId ? room.doc : undefined;
    const merged = await mergeIntoDocument(tx, target.organisationId, ref, text, local);
    if (!merged) return;
    // Applied only once the API's transaction has committed: a rolled-back PATCH must not
    // reach anyone. The stored row is the one copy; every node applies these same bytes.
    onCommit(tx, () => {
      if (this.closing) return;
      const r = this.rooms.get(ref.name);
      if (r?.state === 'ready') r.applyStored(merged.update);
      this.fanout.publish(ref.name, nodeUpdateMessage(this.fanout.nodeId, [merged.update], null));
    });
  }

  // ---------------------------------------------------------------------------------------
  // Shutdown
  // ---------------------------------------------------------------------------------------

  async close() {
    this.closing = true;
    this.http?.off('upgrade', this.onUpgrade);
    clearInterval(this.sessionTimer);
    clearInterval(this.pingTimer);
    for (const room of [...this.rooms.values()]) {
      for (const c of room.conns.values()) c.ws.close(1001, 'server shutting down');
    }
    await Promise.allSettled([...this.rooms.values()].map((r) => r.unload(true)));
    clearTimeout(this.flushTimer);
    if (this.flushing) await this.flushing;
    this.wss.close();
    await this.fanout.close();
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
