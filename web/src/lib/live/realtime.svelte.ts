import type {
  ChangeEvent,
  ClientToServerEvents,
  MetricsEvent,
  NotificationEvent,
  PresenceEvent,
  ServerToClientEvents,
} from '@chorus/shared';
import { io, type Socket } from 'socket.io-client';

type Listener<T> = (batch: T[]) => void;

/**
 * One Socket.IO connection per tab. Changes are deduplicated by `seq`, delivered to listeners
 * in batches once per animation frame (a burst of 500 changes renders once), and resumed after
 * a reconnect by handing the last seen seq back in the handshake.
 */
class Realtime {
  status = $state<'idle' | 'connecting' | 'online' | 'reconnecting'>('idle');
  lastSeq = 0;
  /** Newest first, for the activity feed. */
  activity = $state<ChangeEvent[]>([]);
  presence = $state<Record<string, PresenceEvent['users']>>({});
  /** Bumped when the server refused or closed this tab's socket: its session may have ended. */
  refused = $state(0);

  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #changeListeners = new Set<Listener<ChangeEvent>>();
  #metricsListeners = new Set<Listener<MetricsEvent>>();
  #notificationListeners = new Set<(e: NotificationEvent) => void>();
  #pendingChanges: ChangeEvent[] = [];
  #pendingMetrics: MetricsEvent[] = [];
  #scheduled = false;
  #subs = new Map<string, number>();

  connect(token?: string | null) {
    if (this.#socket) return;
    this.status = 'connecting';
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: '/socket.io',
      transports: ['websocket'],
      withCredentials: true,
      // A function, so every reconnect sends the seq we have reached by then.
      auth: (cb) => cb(token ? { token, lastSeq: this.lastSeq } : { lastSeq: this.lastSeq }),
    });
    this.#socket = socket;
    socket.on('connect', () => {
      this.status = 'online';
      for (const key of this.#subs.keys()) socket.emit('subscribe', parseKey(key));
    });
    socket.on('disconnect', (reason) => {
      this.status = 'reconnecting';
      // The server closes sockets whose session ended; it never does so otherwise while running.
      if (reason === 'io server disconnect') this.refused++;
    });
    socket.io.on('reconnect_attempt', () => {
      this.status = 'reconnecting';
    });
    socket.on('connect_error', () => {
      this.status = 'reconnecting';
      if (!socket.active) this.refused++;
    });
    socket.on('change', (c) => {
      if (c.seq <= this.lastSeq) return;
      this.lastSeq = c.seq;
      this.#pendingChanges.push(c);
      this.#schedule();
    });
    socket.on('metrics', (m) => {
      this.#pendingMetrics.push(m);
      this.#schedule();
    });
    socket.on('notification', (n) => {
      for (const l of this.#notificationListeners) l(n);
    });
    socket.on('presence', (p) => {
      this.presence[p.room] = p.users;
    });
    socket.on('resync', (r) => {
      // Too far behind for the feed: take the server's position and let pages refetch.
      this.lastSeq = r.lastSeq;
      for (const l of this.#changeListeners) l([]);
      location.reload();
    });
  }

  /** Notifications for the signed-in member, as they happen; returns the unsubscribe. */
  onNotification(fn: (e: NotificationEvent) => void): () => void {
    this.#notificationListeners.add(fn);
    return () => this.#notificationListeners.delete(fn);
  }

  disconnect() {
    this.#socket?.disconnect();
    this.#socket = null;
    this.status = 'idle';
    this.lastSeq = 0;
  }

  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      if (!this.#scheduled) return;
      this.#scheduled = false;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      const changes = this.#pendingChanges;
      const metrics = this.#pendingMetrics;
      this.#pendingChanges = [];
      this.#pendingMetrics = [];
      if (changes.length) {
        this.activity = [...changes.slice().reverse(), ...this.activity].slice(0, 50);
        for (const l of this.#changeListeners) l(changes);
      }
      if (metrics.length) for (const l of this.#metricsListeners) l(metrics);
    };
    // One animation frame batches events for painting; the timer covers tabs that get no
    // frames (hidden, or hidden after the frame was asked for), so none falls behind.
    if (!document.hidden) frame = requestAnimationFrame(flush);
    timer = setTimeout(flush, document.hidden ? 100 : 250);
  }

  onChanges(l: Listener<ChangeEvent>) {
    this.#changeListeners.add(l);
    return () => this.#changeListeners.delete(l);
  }
  onMetrics(l: Listener<MetricsEvent>) {
    this.#metricsListeners.add(l);
    return () => this.#metricsListeners.delete(l);
  }

  /** Reference-counted room subscription; returns the unsubscribe. */
  subscribe(target: { campaignId: string } | { postId: string }) {
    const key = 'campaignId' in target ? `campaign:${target.campaignId}` : `post:${target.postId}`;
    const n = this.#subs.get(key) ?? 0;
    this.#subs.set(key, n + 1);
    if (n === 0 && this.#socket?.connected) this.#socket.emit('subscribe', target);
    return () => {
      const left = (this.#subs.get(key) ?? 1) - 1;
      if (left > 0) return void this.#subs.set(key, left);
      this.#subs.delete(key);
      this.#socket?.emit('unsubscribe', target);
      delete this.presence[key];
    };
  }
}

function parseKey(key: string) {
  const [kind, id = ''] = key.split(':');
  return kind === 'campaign' ? { campaignId: id } : { postId: id };
}

export const realtime = new Realtime();
