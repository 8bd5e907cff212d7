import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { isUuid, type Role, socketRoom } from '@chorus/domain';
import type {
  Ack,
  ChangeEvent,
  ClientToServerEvents,
  HandshakeAuth,
  MetricsEvent,
  ServerToClientEvents,
} from '@chorus/shared/events';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import pg from 'pg';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import { clusterName } from '../db/installation.ts';
import { withSystem, withTenant } from '../db/tenant.ts';
import type { AppDeps } from '../deps.ts';
import { authenticate, requestToken } from '../http/auth.ts';
import type { StoredSnapshot } from '../resources/metrics/service.ts';
import type { LiveNotification } from '../resources/notifications/service.ts';
import { changeEvents } from './changes.ts';
import { type Change, headSeq, pruneChanges, readChanges, visibleChanges } from './feed.ts';
import { SEQUENCED_CHANNEL, Sequencer } from './sequencer.ts';

interface SocketData {
  userId: string;
  name: string;
  organisationId: string;
  sessionId: string;
  role: Role;
  /** The last seq this socket has been sent. */
  lastSeq: number;
  rooms: Set<string>;
}
type ChorusSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ChorusServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Socket.IO's path (docs/events.md). */
export const SOCKET_PATH = '/socket.io';

/** Live reads: how many changes one read of the feed hands the sockets at the head. */
const PAGE = 500;
/** Catch-up: how many missed changes one behind socket gets per turn before the others' turns. */
const SLICE = 200;

export interface GatewayOptions {
  /** How often each organisation's feed is re-read without a wake-up (PGlite has no cross-connection NOTIFY). */
  pollMs?: number;
  /** How often open sockets' sessions are re-checked (logout, deactivation, role change). */
  sessionCheckMs?: number;
  metricsFlushMs?: number;
}

/**
 * Delivers one organisation's feed to this node's sockets. Every node runs its own pumps over
 * the shared database and emits only to its local sockets, so each socket gets each change
 * exactly once, in seq order, whatever the number of nodes.
 *
 * The pump keeps two kinds of sockets apart so that one resuming client never delays the rest:
 * - live sockets sit at the pump's `cursor` (the head as far as this node has read it); one
 *   read of the head serves them all;
 * - a socket behind the cursor (a resume) is caught up by its own loop, SLICE changes per turn,
 *   turns going round the behind sockets and yielding to live delivery in between, resting
 *   after each round as long as the round took. Once level with the cursor it is live again.
 * A socket further behind than the catch-up limit gets `resync` instead of a replay.
 */
class OrgPump {
  readonly sockets = new Set<ChorusSocket>();
  /** Sockets being caught up: live delivery passes them by. */
  private readonly behind = new Set<ChorusSocket>();
  /** The last seq delivered live; unset until the pump's first read. */
  private cursor: number | undefined;
  /** Sockets added since the last read began: their lastSeq is checked against the next head. */
  private unchecked = new Set<ChorusSocket>();
  private running = false;
  private again = false;
  private catching = false;
  readonly organisationId: string;
  private readonly gw: Gateway;
  constructor(organisationId: string, gw: Gateway) {
    this.organisationId = organisationId;
    this.gw = gw;
  }

  add(socket: ChorusSocket): void {
    this.sockets.add(socket);
    this.unchecked.add(socket);
    if (this.cursor !== undefined && socket.data.lastSeq < this.cursor) this.fallBehind(socket);
    this.wake();
  }

  remove(socket: ChorusSocket): void {
    this.sockets.delete(socket);
    this.behind.delete(socket);
    this.unchecked.delete(socket);
  }

  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        if (this.sockets.size === 0) return;
        const first = this.cursor === undefined;
        const from = this.cursor ?? Math.max(...[...this.sockets].map((s) => s.data.lastSeq));
        // Only sockets that joined before this read can be judged by its head: one joining
        // meanwhile may hold a newer head than the read saw.
        const checking = this.unchecked;
        this.unchecked = new Set();
        const page = await readChanges(this.gw.deps.db, this.organisationId, from, PAGE);
        if (this.sockets.size === 0) return;
        for (const s of checking) if (this.sockets.has(s) && s.data.lastSeq > page.head) this.resync(s, page.head);
        if (page.resync || (first && page.head - from > PAGE)) {
          // The pump's first read finds only resumed sockets far from the head, or history was
          // pruned under the live position: the head becomes the live position and whoever is
          // below it is caught up on the side.
          this.jumpTo(page.head);
          continue;
        }
        if (first) this.jumpTo(from);
        if (page.changes.length === 0) return;
        const hidden = await this.hiddenFromClients(page.changes, page.scopes);
        for (const change of page.changes) this.deliver(change as ChangeEvent, hidden);
        if (page.changes.length < PAGE) return;
      }
    } catch (err) {
      this.gw.deps.logger.warn({ err, organisationId: this.organisationId }, 'change relay read failed; will retry');
    }
  }

  private jumpTo(head: number): void {
    this.cursor = head;
    for (const s of this.sockets) if (s.data.lastSeq < head) this.fallBehind(s);
  }

  /** Past the feed's head (a bogus lastSeq) or its history: reload over REST, continue at `head`. */
  private resync(s: ChorusSocket, head: number): void {
    this.behind.delete(s);
    s.data.lastSeq = head;
    s.emit('resync', { lastSeq: head });
  }

  private fallBehind(s: ChorusSocket): void {
    this.behind.add(s);
    void this.catchUp();
  }

  /** Per client member on this node, the seqs of this page it may not receive. */
  private async hiddenFromClients(changes: Change[], scopes: Map<number, string>): Promise<Map<string, Set<number>>> {
    const hidden = new Map<string, Set<number>>();
    for (const s of this.sockets) {
      if (s.data.role !== 'client' || hidden.has(s.data.userId)) continue;
      const caller = { organisationId: this.organisationId, userId: s.data.userId, role: 'client' };
      const shown = new Set((await visibleChanges(this.gw.deps.db, caller, changes, scopes)).map((c) => c.seq));
      hidden.set(s.data.userId, new Set(changes.filter((c) => !shown.has(c.seq)).map((c) => c.seq)));
    }
    return hidden;
  }

  private deliver(change: ChangeEvent, hidden: Map<string, Set<number>>): void {
    const to: string[] = [];
    // The organisation's room only when every socket there gets this change.
    let level = this.behind.size === 0 && hidden.size === 0;
    for (const s of this.sockets) {
      // Only the next seq a socket expects: one that joined at a head this pump has not read
      // yet waits until the cursor reaches it. Behind sockets are served by catchUp().
      if (s.data.lastSeq === change.seq - 1 && !this.behind.has(s)) {
        s.data.lastSeq = change.seq;
        // A client member's seq skips what it may not see.
        if (s.data.role === 'client' && hidden.get(s.data.userId)?.has(change.seq)) continue;
        to.push(s.id);
      } else level = false;
    }
    this.cursor = change.seq;
    if (to.length === 0) return;
    // One encode for every recipient; local only, since every node delivers to its own sockets.
    // When everyone is level and the organisation's room holds exactly these sockets, the room
    // itself is the recipient list (socket.io otherwise builds a set from thousands of ids).
    const room = socketRoom.organisation(this.organisationId);
    const everyone = level && this.gw.io.of('/').adapter.rooms.get(room)?.size === this.sockets.size;
    this.gw.io.local.to(everyone ? room : to).emit('change', change);
  }

  /**
   * Serves the behind sockets in turns of at most SLICE changes each, reading from each one's
   * own position up to the live cursor, until each is level and live delivery takes it over.
   * Live reads and deliveries run between any two turns.
   */
  private async catchUp(): Promise<void> {
    if (this.catching) return;
    this.catching = true;
    const limit = this.gw.deps.config.changeCatchUpLimit;
    try {
      while (this.behind.size > 0) {
        let served = false;
        const round = performance.now();
        for (const s of [...this.behind]) {
          const target = this.cursor ?? 0;
          const from = s.data.lastSeq;
          if (!this.sockets.has(s) || from >= target) {
            this.behind.delete(s);
            continue;
          }
          if (target - from > limit) {
            this.resync(s, target);
            continue;
          }
          // A client that is not reading its socket waits its turn instead of piling up here.
          if (((s.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0) > SLICE) continue;
          served = true;
          const page = await readChanges(this.gw.deps.db, this.organisationId, from, Math.min(SLICE, target - from));
          if (!this.behind.has(s) || s.data.lastSeq !== from) continue;
          if (page.resync || page.changes.length === 0) {
            this.resync(s, Math.max(page.head, this.cursor ?? 0));
            continue;
          }
          // A client member's seq skips what it may not see, in catch-up as live.
          const shown =
            s.data.role === 'client'
              ? await visibleChanges(
                  this.gw.deps.db,
                  { organisationId: this.organisationId, userId: s.data.userId, role: 'client' },
                  page.changes,
                  page.scopes,
                )
              : page.changes;
          if (!this.behind.has(s) || s.data.lastSeq !== from) continue;
          for (const change of shown) s.emit('change', change as ChangeEvent);
          const last = page.changes.at(-1)?.seq;
          if (last !== undefined) s.data.lastSeq = last;
          // Level with the live cursor: the next live delivery includes it.
          if (s.data.lastSeq >= (this.cursor ?? 0)) this.behind.delete(s);
        }
        // Catch-up takes at most about half of this process's time: after a round it rests as
        // long as the round took, so live delivery keeps the other half however many resume.
        const rest = served ? Math.min(50, performance.now() - round) : 10;
        if (this.behind.size > 0) await new Promise((r) => setTimeout(r, rest));
      }
    } catch (err) {
      this.gw.deps.logger.warn({ err, organisationId: this.organisationId }, 'catch-up read failed; will retry');
      setTimeout(() => {
        if (this.behind.size > 0) void this.catchUp();
      }, 500).unref();
    } finally {
      this.catching = false;
    }
  }
}

export class Gateway {
  readonly io: ChorusServer;
  private readonly pumps = new Map<string, OrgPump>();
  private readonly timers: NodeJS.Timeout[] = [];
  private listener?: pg.Client;
  private redis: Array<{ quit(): Promise<unknown> }> = [];
  private pendingMetrics = new Map<string, MetricsEvent>();
  private readonly sequencer: Sequencer;

  readonly deps: AppDeps;
  private readonly opts: GatewayOptions;
  constructor(http: HttpServer, deps: AppDeps, opts: GatewayOptions = {}) {
    this.deps = deps;
    this.opts = opts;
    // Numbering wakes this node's pumps at once; other nodes hear of it through NOTIFY.
    this.sequencer = new Sequencer(
      deps.db,
      (orgs) => {
        for (const org of orgs) this.pumps.get(org)?.wake();
      },
      (err) => deps.logger.warn({ err }, 'change sequencer failed; will retry'),
    );
    const origins = new Set(deps.config.publicOrigins);
    this.io = new Server(http, {
      path: SOCKET_PATH,
      serveClient: false,
      // Collab shares this HTTP server's upgrades; socket.io must not destroy theirs.
      destroyUpgrade: false,
      maxHttpBufferSize: 16 * 1024,
      pingInterval: 20_000,
      pingTimeout: 20_000,
      // socket.io's cors option does not guard the websocket transport: check Origin here.
      allowRequest: (req: IncomingMessage, cb) => {
        const origin = req.headers.origin;
        cb(null, origin === undefined || origins.has(origin));
      },
    });
    this.io.use((socket, next) => {
      this.authorise(socket as ChorusSocket).then(
        () => next(),
        (err: Error) => next(err),
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket as ChorusSocket));
  }

  private readonly kick = () => this.sequencer.kick();

  async start(): Promise<void> {
    const { config, logger } = this.deps;
    changeEvents.on('committed', this.kick);
    if (config.redisUrl) {
      const client = createClient({ url: config.redisUrl });
      client.on('error', (err) => logger.warn({ err }, 'redis error (socket.io adapter)'));
      await client.connect();
      this.redis.push(client);
      // One stream per installation: nodes of other installations on this Redis stay apart.
      const streamName = `chorus:socket.io:${await clusterName(this.deps.db)}`;
      // The adapter's types lag behind redis@5's client type; the runtime contract is the same.
      this.io.adapter(createAdapter(client as unknown as Parameters<typeof createAdapter>[0], { streamName }));
    }
    if (config.databaseUrl) {
      // LISTEN wakes the pump of the organisation that just committed a change.
      const listener = new pg.Client({ connectionString: config.databaseUrl });
      listener.on('error', (err) => logger.warn({ err }, 'change listener error'));
      listener.on('notification', (n) => {
        if (n.payload) this.pumps.get(n.payload)?.wake();
      });
      await listener.connect();
      await listener.query(`LISTEN ${SEQUENCED_CHANNEL}`);
      this.listener = listener;
    }
    // The safety net under the wake-ups (and for writes from processes without a gateway).
    const poll = this.opts.pollMs ?? 1000;
    this.timers.push(
      setInterval(() => {
        this.sequencer.kick();
        for (const p of this.pumps.values()) p.wake();
      }, poll),
    );
    this.timers.push(setInterval(() => void this.checkSessions(), this.opts.sessionCheckMs ?? 2000));
    this.timers.push(setInterval(() => this.flushMetrics(), this.opts.metricsFlushMs ?? 250));
    // Retention: prune hourly (and once shortly after start), on whichever node gets there.
    const prune = () => void pruneChanges(this.deps.db, config.changeRetentionDays).catch(() => {});
    this.timers.push(setTimeout(prune, 30_000), setInterval(prune, 3_600_000));
    for (const t of this.timers) t.unref();
  }

  async close(): Promise<void> {
    changeEvents.off('committed', this.kick);
    for (const t of this.timers) clearInterval(t);
    await this.sequencer.stop();
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    await this.listener?.end().catch(() => {});
    for (const r of this.redis) await r.quit().catch(() => {});
  }

  private async authorise(socket: ChorusSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
    const token =
      typeof auth.token === 'string'
        ? auth.token
        : requestToken(new Headers(socket.handshake.headers as Record<string, string>))?.token;
    const user = await authenticate(this.deps, token);
    if (!user) throw new Error('unauthenticated');
    const lastSeq =
      Number.isSafeInteger(auth.lastSeq) && (auth.lastSeq as number) >= 0 ? (auth.lastSeq as number) : undefined;
    socket.data = {
      userId: user.userId,
      name: user.name,
      organisationId: user.organisationId,
      sessionId: user.sessionId,
      role: user.role,
      lastSeq: lastSeq ?? (await headSeq(this.deps.db, user.organisationId)),
      rooms: new Set(),
    };
  }

  private onConnection(socket: ChorusSocket): void {
    const { organisationId, userId } = socket.data;
    socket.join([socketRoom.organisation(organisationId), socketRoom.user(userId)]);
    let pump = this.pumps.get(organisationId);
    if (!pump) {
      pump = new OrgPump(organisationId, this);
      this.pumps.set(organisationId, pump);
    }
    pump.add(socket);

    socket.on('subscribe', (target, ack) => void this.subscribe(socket, target, ack, true));
    socket.on('unsubscribe', (target, ack) => void this.subscribe(socket, target, ack, false));
    socket.on('disconnect', () => {
      pump.remove(socket);
      if (pump.sockets.size === 0) this.pumps.delete(organisationId);
      for (const room of socket.data.rooms) void this.presence(room);
    });
  }

  private async subscribe(socket: ChorusSocket, target: unknown, ack: unknown, join: boolean): Promise<void> {
    const reply = (a: Ack) => {
      if (typeof ack === 'function') ack(a);
    };
    try {
      const t = target as Partial<Record<'campaignId' | 'postId', unknown>> | null;
      const keys = t && typeof t === 'object' ? Object.keys(t) : [];
      const kind = keys.length === 1 && (keys[0] === 'campaignId' || keys[0] === 'postId') ? keys[0] : undefined;
      const id = kind ? t![kind] : undefined;
      if (!kind || typeof id !== 'string' || !isUuid(id)) return reply({ ok: false, code: 'validation_failed' });
      const room = kind === 'campaignId' ? socketRoom.campaign(id) : socketRoom.post(id);
      if (!join) {
        await socket.leave(room);
        socket.data.rooms.delete(room);
        void this.presence(room);
        return reply({ ok: true });
      }
      // Re-authorised on every call: the target must exist in the caller's organisation now.
      const exists = await withTenant(this.deps.db, socket.data, (tx) =>
        kind === 'campaignId'
          ? tx.selectFrom('campaigns').select('id').where('id', '=', id).executeTakeFirst()
          : tx.selectFrom('scheduled_posts').select('id').where('id', '=', id).executeTakeFirst(),
      );
      if (!exists) return reply({ ok: false, code: 'not_found' });
      await socket.join(room);
      socket.data.rooms.add(room);
      reply({ ok: true });
      void this.presence(room);
    } catch (err) {
      this.deps.logger.warn({ err }, 'subscribe failed');
      reply({ ok: false, code: 'validation_failed' });
    }
  }

  /** New notifications to their recipients' sockets, on every node (the user's room spans nodes). */
  notify(batch: LiveNotification[]): void {
    for (const { userId, notification, unreadCount } of batch) {
      this.io.to(`user:${userId}`).emit('notification', { notification, unreadCount });
    }
  }

  /** Who is looking at a room, across tabs and nodes (fetchSockets asks every node). */
  private async presence(room: string): Promise<void> {
    try {
      const sockets = await this.io.in(room).fetchSockets();
      const users = new Map<string, string>();
      for (const s of sockets) users.set(s.data.userId, s.data.name);
      this.io.to(room).emit('presence', { room, users: [...users].map(([id, name]) => ({ id, name })) });
    } catch (err) {
      this.deps.logger.debug({ err, room }, 'presence lookup failed');
    }
  }

  /** Stored snapshots to the post's and campaign's rooms, coalesced to the latest per post. */
  publishMetrics(_organisationId: string, snapshots: StoredSnapshot[]): void {
    for (const s of snapshots) {
      const prev = this.pendingMetrics.get(s.postId);
      if (!prev || prev.capturedAt <= s.capturedAt) this.pendingMetrics.set(s.postId, s);
    }
  }

  private flushMetrics(): void {
    if (this.pendingMetrics.size === 0) return;
    const batch = [...this.pendingMetrics.values()];
    this.pendingMetrics.clear();
    for (const m of batch)
      this.io.to([socketRoom.post(m.postId), socketRoom.campaign(m.campaignId)]).emit('metrics', m);
  }

  /** Disconnects sockets whose session ended; picks up role changes. */
  private async checkSessions(): Promise<void> {
    const sockets = [...this.io.of('/').sockets.values()] as ChorusSocket[];
    if (sockets.length === 0) return;
    try {
      const ids = [...new Set(sockets.map((s) => s.data.sessionId).filter(Boolean))];
      const live = await withSystem(this.deps.db, (tx) =>
        tx
          .selectFrom('sessions as s')
          .innerJoin('users as u', 'u.id', 's.user_id')
          .innerJoin('reference_data as r', 'r.id', 'u.role_id')
          .select(['s.id', 'r.code as role'])
          .where('s.id', 'in', ids)
          .where('s.expires_at', '>', new Date())
          .where('u.is_active', '=', true)
          .execute(),
      );
      const roles = new Map(live.map((l) => [l.id, l.role as Role]));
      for (const s of sockets) {
        const role = roles.get(s.data.sessionId);
        if (!role) s.disconnect(true);
        else s.data.role = role;
      }
    } catch (err) {
      this.deps.logger.warn({ err }, 'session check failed');
    }
  }
}
