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
 * How far behind a reloaded tab may be and still resume from where it was (its activity feed
 * then shows what it missed). Further behind, it joins at the head: the pages reload their
 * state over REST anyway, and a long replay would cost more than it shows.
 */
export const RESUME_MAX = 1000;
const STORE = 'chorus:lastSeq:';

/**
 * One Socket.IO connection per tab. A new tab joins the change feed at the head its signed-in
 * state was read at (`X-Chorus-Seq` on GET /me), so it never replays history: each page loads
 * what it shows over REST and applies live changes from there on. Changes are deduplicated by
 * `seq`, delivered to listeners in batches once per animation frame (a burst of 500 changes
 * renders once), and resumed after a reconnect by handing the last seen seq back in the
 * handshake. The position is kept per tab (sessionStorage), so a reload resumes where it was.
 */
class Realtime {
  status = $state<'idle' | 'connecting' | 'online' | 'reconnecting'>('idle');
  /** The last seq this tab has; undefined only when the server named no head (join at its head). */
  lastSeq: number | undefined = undefined;
  #store: string | null = null;
  /** The oldest position of a device copy shown before the socket connected. */
  #floor: number | undefined = undefined;
  /** Newest first, for the activity feed. */
  activity = $state<ChangeEvent[]>([]);
  presence = $state<Record<string, PresenceEvent['users']>>({});
  /** Bumped when the server refused or closed this tab's socket: its session may have ended. */
  refused = $state(0);

  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #offNetwork: (() => void) | null = null;
  #changeListeners = new Set<Listener<ChangeEvent>>();
  #metricsListeners = new Set<Listener<MetricsEvent>>();
  #notificationListeners = new Set<(e: NotificationEvent) => void>();
  #pendingChanges: ChangeEvent[] = [];
  #pendingMetrics: MetricsEvent[] = [];
  #scheduled = false;
  #subs = new Map<string, number>();

  /**
   * `head` is the feed head the signed-in state was read at; `scope` names the organisation and
   * user, so a position is only ever resumed by the same member of the same organisation.
   */
  connect(token?: string | null, start: { head?: number; scope?: string } = {}) {
    if (this.#socket) return;
    this.status = 'connecting';
    this.#store = start.scope ? STORE + start.scope : null;
    this.lastSeq = startingPoint(start.head, this.#saved());
    if (this.#floor !== undefined && (this.lastSeq === undefined || this.#floor < this.lastSeq))
      this.lastSeq = this.#floor;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: '/socket.io',
      transports: ['websocket'],
      withCredentials: true,
      // A function, so every reconnect sends the seq we have reached by then.
      auth: (cb) => {
        const at = this.lastSeq === undefined ? {} : { lastSeq: this.lastSeq };
        cb(token ? { token, ...at } : at);
      },
    });
    this.#socket = socket;
    // A connection that lost the network may look open for a long while (and its frames go
    // nowhere): drop it when the browser says it is offline, and reconnect (resuming from the
    // last seq) when it is back.
    this.#offNetwork?.();
    const down = () => {
      socket.disconnect();
      this.status = 'reconnecting';
    };
    const up = () => {
      if (!socket.connected) socket.connect();
    };
    window.addEventListener('offline', down);
    window.addEventListener('online', up);
    this.#offNetwork = () => {
      window.removeEventListener('offline', down);
      window.removeEventListener('online', up);
    };
    socket.on('connect', () => {
      this.status = 'online';
      this.#floor = undefined;
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
      if (this.lastSeq !== undefined && c.seq <= this.lastSeq) return;
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
      // Too far behind for the feed: take the server's position and reload what the page shows
      // (the reloaded tab resumes from here, a few changes at most).
      this.lastSeq = r.lastSeq;
      this.#save();
      location.reload();
    });
  }

  /**
   * A page shows a copy read at `seq` (kept on this device, the server being out of reach):
   * until the socket is through, its position moves back to there, so the catch-up on
   * reconnect covers everything that copy lacks. Applying an older change again is harmless:
   * lists ignore stale versions.
   */
  resumeNoLaterThan(seq: number | undefined) {
    if (seq === undefined || this.status === 'online') return;
    if (this.#floor === undefined || seq < this.#floor) this.#floor = seq;
    if (this.#socket && (this.lastSeq === undefined || seq < this.lastSeq)) this.lastSeq = seq;
  }

  /** Notifications for the signed-in member, as they happen; returns the unsubscribe. */
  onNotification(fn: (e: NotificationEvent) => void): () => void {
    this.#notificationListeners.add(fn);
    return () => this.#notificationListeners.delete(fn);
  }

  disconnect() {
    this.#offNetwork?.();
    this.#offNetwork = null;
    this.#socket?.disconnect();
    this.#socket = null;
    this.status = 'idle';
    this.lastSeq = undefined;
    this.#floor = undefined;
    if (this.#store) sessionStorage.removeItem(this.#store);
    this.#store = null;
  }

  #saved(): number | undefined {
    if (!this.#store) return undefined;
    const n = Number(sessionStorage.getItem(this.#store) ?? Number.NaN);
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  }
  #save() {
    if (this.#store && this.lastSeq !== undefined) sessionStorage.setItem(this.#store, String(this.lastSeq));
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
        this.#save();
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

/**
 * Where a tab joins the feed: where this tab was (a reload) if that is not far behind the head
 * its state was read at, else that head. With no head known, the server's head at handshake.
 */
export function startingPoint(head: number | undefined, saved: number | undefined): number | undefined {
  if (head === undefined) return saved;
  if (saved !== undefined && saved <= head && head - saved <= RESUME_MAX) return saved;
  return head;
}

function parseKey(key: string) {
  const [kind, id = ''] = key.split(':');
  return kind === 'campaign' ? { campaignId: id } : { postId: id };
}

export const realtime = new Realtime();
