import {
  COLLAB_CLOSE,
  type DocRef,
  DOC_FIELD as FIELD,
  isFrozen,
  DOC_MAX_CHARS as MAX_CHARS,
  mayEditText,
} from '@chorus/domain';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { SessionUser } from '../auth/sessions.ts';
import type { Db } from '../db/connect.ts';
import { Problem } from '../http/problem.ts';
import type { Logger } from '../logger.ts';
import type { Fanout } from './fanout.ts';
import {
  AUTH_PERMISSION_DENIED,
  AUTH_READ_WRITE,
  authMessage,
  awarenessMessage,
  type CollabOptions,
  Conn,
  MSG_AUTH,
  MSG_AWARENESS,
  MSG_QUERY_AWARENESS,
  MSG_SYNC,
  ProtocolError,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  send,
  syncUpdateMessage,
  TooBig,
} from './protocol.ts';
import { NodeRelay, type RelayTarget } from './relay.ts';
import { compactDocument, loadDocument, saveText } from './store.ts';
import { applyTextDiff, rootTextLength, rootTextString } from './text.ts';

/** Origins of changes that are already stored or are another node's to store. */
const REMOTE = Symbol('remote');
/** The server's own change: undoing edits a frozen post's row never took. */
const RESET = Symbol('reset');
const STORED = Symbol('stored');

export interface RoomHost {
  db: Db;
  logger: Logger;
  fanout: Fanout;
  opts: CollabOptions;
  /** Queues this room's pending updates for the next batched insert. */
  scheduleFlush(room: Room): void;
  /** Writes this room's pending updates now (before a write-back or an unload). */
  flushRoom(room: Room): Promise<void>;
  unloaded(room: Room): void;
}

/**
 * One loaded document on this node: the Y.Doc, its awareness, its connections, and the life
 * cycle load → edits (batched appends, debounced write-back, compaction) → unload when idle.
 */
export class Room {
  readonly ref: DocRef;
  readonly organisationId: string;
  readonly doc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  readonly conns = new Map<WebSocket, Conn>();
  readonly host: RoomHost;
  readonly relay: NodeRelay;
  state: 'loading' | 'ready' | 'closing' | 'closed' = 'loading';
  /** Resolves true once loaded, false when the post/note is not visible; rejects on failure. */
  ready: Promise<boolean>;
  closed: Promise<void>;
  private resolveClosed!: () => void;

  documentId = '';
  /** The post's status when its content can no longer change (publishing, published, cancelled). */
  frozen: string | null = null;
  /** Encoded size of the stored history plus everything applied since load. */
  storedBytes = 0;
  rowsSinceSnapshot = 0;
  bytesSinceSnapshot = 0;
  compacting = false;

  /** Updates from this node's clients not yet appended (one writer per update: the receiver). */
  pending: Uint8Array[] = [];
  pendingUser: string | null = null;
  /** Updates from this node's clients not yet published to the other nodes. */
  private outbox: Uint8Array[] = [];
  private outboxUser: string | null = null;
  private publishQueued = false;

  dirty = false;
  private firstDirtyAt = 0;
  private lastEditAt = 0;
  private lastEditor: string | null = null;
  private wbTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private wbFailures = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Set by afterTransaction: whether the last transaction changed the document. */
  private changed = false;

  constructor(host: RoomHost, ref: DocRef, organisationId: string) {
    this.host = host;
    this.ref = ref;
    this.organisationId = organisationId;
    // Left a placeholder, never a Y.Text: see rootTextString.
    this.doc.get(FIELD[ref.kind]);
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server is not a participant: it has no cursor of its own.
    this.awareness.setLocalState(null);
    this.closed = new Promise((r) => {
      this.resolveClosed = r;
    });
    this.relay = new NodeRelay(host.fanout, this.relayTarget(), host.logger);
    this.ready = this.load();
    // Failures are read through `ready` by whoever opens the room.
    this.ready.catch(() => {});
  }

  private async load(): Promise<boolean> {
    const loaded = await loadDocument(this.host.db, this.organisationId, this.ref);
    if (!loaded) {
      this.destroyState();
      return false;
    }
    this.documentId = loaded.documentId;
    this.frozen = loaded.status && isFrozen(loaded.status) ? loaded.status : null;
    try {
      this.doc.transact(() => {
        for (const u of loaded.updates) Y.applyUpdate(this.doc, u);
      }, STORED);
    } catch (err) {
      // A stored update that does not apply must never turn into an empty document that a
      // later write-back saves over the row: the load fails and nothing is served.
      this.destroyState();
      throw err;
    }
    this.storedBytes = loaded.storedBytes;
    this.rowsSinceSnapshot = loaded.pendingRows;
    this.doc.on('afterTransaction', this.onAfterTransaction);
    this.awareness.on('update', this.onAwareness);
    await this.relay.subscribe();
    // Ask the other nodes for what they applied but have not stored yet.
    this.hello();
    this.state = 'ready';
    // The document is the authority; a row that differs (a crash before the last write-back)
    // is brought up to date.
    if (this.textContent() !== loaded.rowText) this.markDirty(null);
    // Nobody may ever attach (the client went away during the load): unload like any idle room.
    if (this.conns.size === 0) this.scheduleIdleUnload();
    return true;
  }

  hello() {
    this.relay.hello();
  }

  // ---------------------------------------------------------------------------------------
  // Connections
  // ---------------------------------------------------------------------------------------

  addConn(conn: Conn) {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.conns.set(conn.ws, conn);
    // Sync step 1 from the server, then everyone's cursors (y-websocket server behaviour).
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MSG_SYNC);
    encoding.writeVarUint(e, SYNC_STEP1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(this.doc));
    send(conn, encoding.toUint8Array(e));
    this.updateMode(conn);
    const states = this.awareness.getStates();
    if (states.size > 0) {
      send(conn, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
    }
  }

  /**
   * Recomputes whether a connection may write and tells the client when that changed (and
   * once at the start): from then on a read-only connection's updates are dropped.
   */
  updateMode(conn: Conn) {
    conn.readOnly = !conn.mayWrite || this.frozen !== null;
    const reason = !conn.mayWrite ? 'role' : this.frozen ? `frozen:${this.frozen}` : '';
    const mode = conn.readOnly ? `read-only:${reason}` : 'read-write';
    if (conn.toldMode === mode) return;
    conn.toldMode = mode;
    send(conn, authMessage(conn.readOnly ? AUTH_PERMISSION_DENIED : AUTH_READ_WRITE, reason));
  }

  /** The member's role changed (seen by the session check): their connections follow at once. */
  setRole(conn: Conn, role: SessionUser['role'], name: string) {
    conn.user = { ...conn.user, role, name };
    conn.mayWrite = mayEditText(role);
    if (conn.identity.name !== name) {
      conn.identity = { ...conn.identity, name };
      this.rewriteIdentity(conn);
    }
    this.updateMode(conn);
  }

  /**
   * The post's status and text as the database holds them now. Freezing makes every session
   * read-only, and edits the row never took are undone in the document, so what everyone sees
   * is what went out (done by the node that writes the document back, so only once).
   */
  async setStatus(status: string, rowText: string) {
    const frozen = isFrozen(status) ? status : null;
    if (frozen !== this.frozen) {
      this.frozen = frozen;
      for (const c of this.conns.values()) this.updateMode(c);
    }
    if (!frozen || this.state !== 'ready' || this.textContent() === rowText) return;
    if (!(await this.host.fanout.holdWriter(this.ref.name)) || this.state !== 'ready') return;
    const current = this.textContent();
    if (current === rowText) return;
    const updates = this.capture(() =>
      this.doc.transact(() => applyTextDiff(this.doc.getText(FIELD[this.ref.kind]), rowText), RESET),
    );
    for (const u of updates) {
      this.storedBytes += u.length;
      const msg = syncUpdateMessage(u);
      for (const c of this.conns.values()) send(c, msg);
      this.pending.push(u);
    }
    this.pendingUser = null;
    this.host.scheduleFlush(this);
    this.publishUpdates(updates, null);
    this.dirty = false;
  }

  removeConn(conn: Conn) {
    if (!this.conns.delete(conn.ws)) return;
    if (conn.clientIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.clientIds], null);
    }
    const editorsLeft = [...this.conns.values()].some((c) => !c.readOnly);
    // At once when the last editor leaves: nobody else will trigger a save soon.
    if (!editorsLeft && this.dirty) void this.writeBack();
    if (this.conns.size === 0) this.scheduleIdleUnload();
  }

  /** Handles one binary message from a client. Throws on malformed input (caller closes). */
  receive(conn: Conn, data: Uint8Array) {
    const dec = decoding.createDecoder(data);
    const type = decoding.readVarUint(dec);
    switch (type) {
      case MSG_SYNC: {
        const sub = decoding.readVarUint(dec);
        const payload = decoding.readVarUint8Array(dec);
        if (sub === SYNC_STEP1) {
          const e = encoding.createEncoder();
          encoding.writeVarUint(e, MSG_SYNC);
          encoding.writeVarUint(e, SYNC_STEP2);
          encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(this.doc, payload));
          send(conn, encoding.toUint8Array(e));
        } else if (sub === SYNC_STEP2 || sub === SYNC_UPDATE) {
          // A read-only session's changes are dropped, never applied or relayed.
          if (conn.readOnly) return;
          this.admit(payload);
          const store = this.doc.store;
          if (store.pendingStructs === null && store.pendingDs === null) {
            // The client's own bytes are relayed and stored as they came: listening for
            // 'update' would make Yjs re-encode every transaction, which costs as much as
            // applying it. afterTransaction tells whether anything changed, as 'update' would.
            this.changed = false;
            Y.applyUpdate(this.doc, payload, conn);
            // Structs waiting for a missing dependency are stored and relayed too: receivers
            // hold them pending just the same.
            if (this.changed || store.pendingStructs !== null || store.pendingDs !== null) {
              const asIs = sub === SYNC_UPDATE && dec.pos === data.length;
              this.accept(payload, conn, asIs ? data : syncUpdateMessage(payload));
            }
          } else {
            // Earlier structs were waiting: this update may integrate them, so relay and store
            // what the transaction actually added, encoded by Yjs.
            for (const u of this.capture(() => Y.applyUpdate(this.doc, payload, conn))) {
              this.accept(u, conn, syncUpdateMessage(u));
            }
          }
        } else {
          throw new ProtocolError('unknown sync message');
        }
        return;
      }
      case MSG_AWARENESS:
        awarenessProtocol.applyAwarenessUpdate(
          this.awareness,
          this.ownAwareness(conn, decoding.readVarUint8Array(dec)),
          conn,
        );
        return;
      case MSG_QUERY_AWARENESS:
        send(
          conn,
          awarenessMessage(
            awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]),
          ),
        );
        return;
      case MSG_AUTH:
        return;
      default:
        throw new ProtocolError('unknown message type');
    }
  }

  /**
   * A client's awareness update with every state's `user` set from its session, and without
   * states for client ids another connection here has announced (no one speaks for another).
   */
  private ownAwareness(conn: Conn, update: Uint8Array): Uint8Array {
    const dec = decoding.createDecoder(update);
    const e = encoding.createEncoder();
    const n = decoding.readVarUint(dec);
    const out: [number, number, string][] = [];
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(dec);
      const clock = decoding.readVarUint(dec);
      const raw = decoding.readVarString(dec);
      if (!conn.clientIds.has(clientId) && this.ownerOf(clientId)) continue;
      const state: unknown = JSON.parse(raw);
      if (state === null) out.push([clientId, clock, 'null']);
      else if (typeof state === 'object' && !Array.isArray(state))
        out.push([clientId, clock, JSON.stringify({ ...state, user: conn.identity })]);
      else throw new ProtocolError('awareness state must be an object');
    }
    encoding.writeVarUint(e, out.length);
    for (const [clientId, clock, json] of out) {
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, json);
    }
    return encoding.toUint8Array(e);
  }

  private ownerOf(clientId: number): Conn | undefined {
    for (const c of this.conns.values()) if (c.clientIds.has(clientId)) return c;
    return undefined;
  }

  /** Re-announces a connection's cursors under its current identity (after a rename). */
  private rewriteIdentity(conn: Conn) {
    for (const id of conn.clientIds) {
      const state = this.awareness.getStates().get(id);
      if (!state) continue;
      const meta = this.awareness.meta.get(id);
      const clock = (meta?.clock ?? 0) + 1;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, id);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, JSON.stringify({ ...state, user: conn.identity }));
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(e), conn);
    }
  }

  textLength(): number {
    return rootTextLength(this.doc, FIELD[this.ref.kind]);
  }

  textContent(): string {
    return rootTextString(this.doc, FIELD[this.ref.kind]);
  }

  /** Refuses an update that would take the document past its size or text limits. */
  private admit(update: Uint8Array) {
    if (update.length === 0) throw new ProtocolError('empty update');
    if (this.storedBytes + update.length > this.host.opts.maxDocBytes) throw new TooBig('document too large');
    const limit = MAX_CHARS[this.ref.kind];
    // An update inserts at most as many characters as it has bytes; count exactly only near the limit.
    if (this.textLength() + update.length > limit) {
      let inserted = 0;
      for (const s of Y.decodeUpdate(update).structs) {
        if (s instanceof Y.Item && s.content instanceof Y.ContentString) inserted += s.content.str.length;
      }
      if (this.textLength() + inserted > limit) throw new TooBig('text too long');
    }
  }

  private onAfterTransaction = (tr: Y.Transaction) => {
    // The same test Yjs makes before it emits 'update'.
    if (tr.deleteSet.clients.size > 0) this.changed = true;
    else for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) this.changed = true;
  };

  /** Applies through `fn` and answers what it added to the document, encoded by Yjs. */
  private capture(fn: () => void): Uint8Array[] {
    const out: Uint8Array[] = [];
    const onUpdate = (u: Uint8Array) => out.push(u);
    this.doc.on('update', onUpdate);
    try {
      fn();
    } finally {
      this.doc.off('update', onUpdate);
    }
    return out;
  }

  /** A client's update that changed the document: relay it, queue it for storage and the other nodes. */
  private accept(update: Uint8Array, from: Conn, msg: Uint8Array) {
    this.storedBytes += update.length;
    for (const c of this.conns.values()) if (c !== from) send(c, msg);
    this.pending.push(update);
    this.pendingUser = from.user.userId;
    this.host.scheduleFlush(this);
    this.outbox.push(update);
    this.outboxUser = from.user.userId;
    if (!this.publishQueued) {
      this.publishQueued = true;
      setImmediate(this.publishOutbox);
    }
    this.markDirty(from.user.userId);
  }

  /** An update stored or stored elsewhere (another node's, an API merge): relay it only. */
  private forward(updates: Uint8Array[], actor: string | null) {
    if (updates.length === 0) return;
    for (const u of updates) {
      this.storedBytes += u.length;
      const msg = syncUpdateMessage(u);
      for (const c of this.conns.values()) send(c, msg);
    }
    this.markDirty(actor);
  }

  private publishOutbox = () => {
    this.publishQueued = false;
    if (this.outbox.length === 0 || this.state === 'closed') return;
    const updates = this.outbox;
    this.outbox = [];
    this.publishUpdates(updates, this.outboxUser);
  };

  publishUpdates(updates: Uint8Array[], userId: string | null) {
    this.relay.publishUpdates(updates, userId);
  }

  private onAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    if (origin instanceof Conn) {
      for (const id of added) origin.clientIds.add(id);
      for (const id of updated) origin.clientIds.add(id);
      for (const id of removed) origin.clientIds.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    const msg = awarenessMessage(update);
    for (const c of this.conns.values()) send(c, msg);
    if (origin !== REMOTE) this.relay.publishAwareness(update);
  };

  // The node relay's view of this document (relay.ts).
  private relayTarget(): RelayTarget {
    return {
      name: this.ref.name,
      accepting: () => this.state === 'ready',
      applyRemoteUpdates: (read, userId) => {
        const applied = this.capture(() =>
          this.doc.transact(() => read((u) => Y.applyUpdate(this.doc, u, REMOTE)), REMOTE),
        );
        this.forward(applied, userId);
      },
      applyRemoteAwareness: (update) => awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE),
      stateVector: () => Y.encodeStateVector(this.doc),
      diffFor: (sv) => Y.encodeStateAsUpdate(this.doc, sv),
      localAwareness: () => {
        const mine = [...this.conns.values()].flatMap((c) => [...c.clientIds]);
        return mine.length ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, mine) : undefined;
      },
    };
  }

  /** Applies an update that is already stored (an API merge after its commit, a compaction). */
  applyStored(update: Uint8Array) {
    if (this.state !== 'ready') return;
    this.forward(
      this.capture(() => Y.applyUpdate(this.doc, update, STORED)),
      null,
    );
  }

  // ---------------------------------------------------------------------------------------
  // Write-back of the text to the post/note
  // ---------------------------------------------------------------------------------------

  private markDirty(userId: string | null) {
    const now = performance.now();
    if (!this.dirty) this.firstDirtyAt = now;
    this.dirty = true;
    this.lastEditAt = now;
    if (userId) this.lastEditor = userId;
    if (!this.wbTimer && !this.writing) this.wbTimer = setTimeout(this.wbTick, this.host.opts.writeBackMs);
  }

  private wbTick = () => {
    this.wbTimer = undefined;
    if (!this.dirty || this.state === 'closed') return;
    const { writeBackMs, writeBackMaxMs } = this.host.opts;
    const now = performance.now();
    const quietFor = now - this.lastEditAt;
    if (quietFor < writeBackMs && now - this.firstDirtyAt < writeBackMaxMs) {
      this.wbTimer = setTimeout(this.wbTick, writeBackMs - quietFor);
      return;
    }
    void this.writeBack();
  };

  /** Saves the text now (if changed); one at a time per room. */
  writeBack(): Promise<void> {
    if (this.writing) return this.writing;
    clearTimeout(this.wbTimer);
    this.wbTimer = undefined;
    this.writing = this.doWriteBack().finally(() => {
      this.writing = undefined;
      if (this.dirty && this.state !== 'closed' && !this.wbTimer) {
        const backoff = Math.min(30_000, this.host.opts.writeBackMs * 2 ** this.wbFailures);
        this.wbTimer = setTimeout(this.wbTick, backoff);
      }
    });
    return this.writing;
  }

  private async doWriteBack() {
    if (!this.dirty) return;
    try {
      // Only one node writes a document's text; the others leave it to the lease holder.
      if (!(await this.host.fanout.holdWriter(this.ref.name))) {
        this.wbFailures = Math.min(this.wbFailures + 1, 2);
        return;
      }
      // The Yjs history is stored before the text derived from it.
      await this.host.flushRoom(this);
      const text = this.textContent();
      this.dirty = false;
      const exists = await saveText(this.host.db, this.organisationId, this.ref, text, this.lastEditor);
      this.wbFailures = 0;
      if (!exists) this.gone();
    } catch (err) {
      if (err instanceof Problem && err.code === 'conflict') {
        // The post froze before these edits were saved: they are not kept (the status check
        // puts the row's text back into the document).
        this.host.logger.info({ doc: this.ref.name }, 'collab: edits to frozen content dropped');
        return;
      }
      const code = (err as { code?: string }).code;
      if (code === '23514' || code === '22001') {
        // The text breaks a database rule (length): retrying cannot help.
        this.host.logger.warn({ err, doc: this.ref.name }, 'collab: text cannot be saved');
        return;
      }
      this.dirty = true;
      this.wbFailures++;
      this.host.logger.warn({ err, doc: this.ref.name }, 'collab: write-back failed; will retry');
    }
  }

  // ---------------------------------------------------------------------------------------
  // Compaction, unload
  // ---------------------------------------------------------------------------------------

  /** Called after a batch of this room's updates was appended. */
  appended(rows: number, bytes: number) {
    this.rowsSinceSnapshot += rows;
    this.bytesSinceSnapshot += bytes;
    const { compactRows, compactBytes } = this.host.opts;
    if (!this.compacting && (this.rowsSinceSnapshot >= compactRows || this.bytesSinceSnapshot >= compactBytes)) {
      void this.compact();
    }
  }

  async compact() {
    if (this.compacting) return;
    this.compacting = true;
    try {
      const res = await compactDocument(this.host.db, this.organisationId, this.documentId);
      if (!res) return this.gone();
      this.rowsSinceSnapshot = 0;
      this.bytesSinceSnapshot = 0;
      this.storedBytes = res.snapshot.length;
      // Anything stored that this node has not applied (another node's edits lost in transit);
      // the snapshot's long runs of typed text make this cheap for everything already known.
      this.applyStored(res.snapshot);
    } catch (err) {
      this.host.logger.warn({ err, doc: this.ref.name }, 'collab: compaction failed');
    } finally {
      this.compacting = false;
    }
  }

  private scheduleIdleUnload() {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.unload(), this.host.opts.idleUnloadMs);
  }

  /** The post/note was deleted: everyone is told (4404) and nothing more is stored. */
  gone() {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.pending = [];
    this.dirty = false;
    for (const c of this.conns.values()) c.ws.close(COLLAB_CLOSE.notFound, 'document deleted');
    void this.unload(true);
  }

  /** Stores what is pending, saves the text, then frees the document. */
  async unload(force = false) {
    if (this.state !== 'ready') return;
    if (this.conns.size > 0 && !force) return;
    this.state = 'closing';
    clearTimeout(this.idleTimer);
    try {
      await this.host.flushRoom(this);
      if (this.dirty) await this.writeBack();
      if (this.writing) await this.writing;
      await this.host.fanout.releaseWriter(this.ref.name);
    } catch (err) {
      this.host.logger.warn({ err, doc: this.ref.name }, 'collab: unload could not store everything');
    } finally {
      for (const c of this.conns.values()) c.ws.terminate();
      this.conns.clear();
      await this.relay.unsubscribe().catch(() => {});
      this.destroyState();
      this.host.unloaded(this);
    }
  }

  private destroyState() {
    this.state = 'closed';
    clearTimeout(this.wbTimer);
    clearTimeout(this.idleTimer);
    this.awareness.destroy();
    this.doc.destroy();
    this.resolveClosed();
  }
}
