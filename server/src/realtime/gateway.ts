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

const PAGE = 500;

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
 * exactly once, in seq order, whatever the number of nodes. A socket resuming from an older
 * lastSeq is simply behind the others: the pump reads from the lowest lastSeq it serves.
 */
class OrgPump {
  readonly sockets = new Set<ChorusSocket>();
  private running = false;
  private again = false;
  readonly organisationId: string;
  private readonly gw: Gateway;
  constructor(organisationId: string, gw: Gateway) {
    this.organisationId = organisationId;
    this.gw = gw;
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
        const from = Math.min(...[...this.sockets].map((s) => s.data.lastSeq));
        const page = await readChanges(this.gw.deps.db, this.organisationId, from, PAGE);
        if (page.resync) {
          for (const s of this.sockets) {
            if (s.data.lastSeq === from) {
              s.data.lastSeq = page.head;
              s.emit('resync', { lastSeq: page.head });
            }
          }
          continue;
        }
        if (page.changes.length === 0) return;
        const hidden = await this.hiddenFromClients(page.changes);
        for (const change of page.changes) this.deliver(change as ChangeEvent, hidden);
        // Sockets that joined behind the others catch up on the next turn, from their own seq.
        const last = page.changes.at(-1)!.seq;
        const behind = [...this.sockets].some((s) => s.data.lastSeq < last);
        if (!behind && page.changes.length < PAGE) return;
      }
    } catch (err) {
      this.gw.deps.logger.warn({ err, organisationId: this.organisationId }, 'change relay read failed; will retry');
    }
  }

  /** Per client member on this node, the seqs of this page it may not receive. */
  private async hiddenFromClients(changes: Change[]): Promise<Map<string, Set<number>>> {
    const hidden = new Map<string, Set<number>>();
    for (const s of this.sockets) {
      if (s.data.role !== 'client' || hidden.has(s.data.userId)) continue;
      const caller = { organisationId: this.organisationId, userId: s.data.userId, role: 'client' };
      const shown = new Set((await visibleChanges(this.gw.deps.db, caller, changes)).map((c) => c.seq));
      hidden.set(s.data.userId, new Set(changes.filter((c) => !shown.has(c.seq)).map((c) => c.seq)));
    }
    return hidden;
  }

  private deliver(change: ChangeEvent, hidden: Map<string, Set<number>>): void {
    const to: string[] = [];
    let level = hidden.size === 0;
    for (const s of this.sockets) {
      // Only the next seq a socket expects: one that is further behind must not skip ahead.
      if (s.data.lastSeq === change.seq - 1) {
        s.data.lastSeq = change.seq;
        // A client member's seq skips what it may not see.
        if (s.data.role === 'client' && hidden.get(s.data.userId)?.has(change.seq)) continue;
        to.push(s.id);
      } else level = false;
    }
    if (to.length === 0) return;
    // One encode for every recipient; local only, since every node delivers to its own sockets.
    // When everyone is level and the organisation's room holds exactly these sockets, the room
    // itself is the recipient list (socket.io otherwise builds a set from thousands of ids).
    const room = socketRoom.organisation(this.organisationId);
    const everyone = level && this.gw.io.of('/').adapter.rooms.get(room)?.size === this.sockets.size;
    this.gw.io.local.to(everyone ? room : to).emit('change', change);
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
    pump.sockets.add(socket);
    pump.wake();

    socket.on('subscribe', (target, ack) => void this.subscribe(socket, target, ack, true));
    socket.on('unsubscribe', (target, ack) => void this.subscribe(socket, target, ack, false));
    socket.on('disconnect', () => {
      pump.sockets.delete(socket);
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
