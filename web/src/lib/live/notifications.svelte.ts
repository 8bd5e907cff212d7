import { api, type Notification } from '../api/client.ts';
import { realtime } from './realtime.svelte.ts';
import { session } from './session.svelte.ts';

/**
 * The signed-in member's notifications: the latest page and the unread count, kept current by
 * the socket's `notification` events (one per notification, carrying the new unread count).
 */
class Notifications {
  items = $state<Notification[]>([]);
  unreadCount = $state(0);
  loaded = $state(false);
  nextCursor = $state<string | null>(null);
  #off: (() => void) | null = null;

  start() {
    if (this.#off) return;
    this.#off = realtime.onNotification(({ notification, unreadCount }) => {
      this.#arrived?.push(notification);
      if (!this.items.some((n) => n.id === notification.id)) this.items = [notification, ...this.items];
      this.unreadCount = unreadCount;
    });
    void this.load();
  }

  stop() {
    this.#off?.();
    this.#off = null;
    this.items = [];
    this.unreadCount = 0;
    this.loaded = false;
  }

  /** Notifications that arrived live while a load was under way (its answer may predate them). */
  #arrived: Notification[] | null = null;

  async load() {
    const arrived: Notification[] = [];
    this.#arrived = arrived;
    try {
      const page = await api.notifications({ limit: 50 });
      // The page may have been read before a notification that reached the socket meanwhile:
      // keep those, and their count, rather than letting the older answer erase them.
      const listed = new Set(page.items.map((n) => n.id));
      const missing = arrived.filter((n) => !listed.has(n.id));
      this.items = [...missing.reverse(), ...page.items];
      this.unreadCount = page.unreadCount + missing.filter((n) => !n.readAt).length;
      this.nextCursor = page.nextCursor;
      this.loaded = true;
    } catch {
      // The bell simply shows nothing new; the next event or reload tries again.
    } finally {
      if (this.#arrived === arrived) this.#arrived = null;
    }
  }

  async more() {
    if (!this.nextCursor) return;
    const page = await api.notifications({ limit: 50, cursor: this.nextCursor });
    const known = new Set(this.items.map((n) => n.id));
    this.items = [...this.items, ...page.items.filter((n) => !known.has(n.id))];
    this.nextCursor = page.nextCursor;
    this.unreadCount = page.unreadCount;
  }

  async markRead(ids: string[]) {
    const unread = ids.filter((id) => this.items.find((n) => n.id === id && !n.readAt));
    if (unread.length === 0) return;
    const now = new Date().toISOString();
    this.items = this.items.map((n) => (unread.includes(n.id) ? { ...n, readAt: now } : n));
    this.unreadCount = Math.max(0, this.unreadCount - unread.length);
    await api.markNotificationsRead({ ids: unread }).catch(() => this.load());
  }

  async markAllRead() {
    const now = new Date().toISOString();
    this.items = this.items.map((n) => (n.readAt ? n : { ...n, readAt: now }));
    this.unreadCount = 0;
    await api.markNotificationsRead({ all: true }).catch(() => this.load());
  }
}

export const notifications = new Notifications();

const WHAT: Record<Notification['type'], string> = {
  review_requested: 'asks for your review',
  changes_requested: 'requested changes',
  approved: 'approved the post',
  mentioned: 'mentioned you',
  replied: 'replied to your note',
  publish_failed: 'Publishing failed',
};

/** One line for people: "Ada asks for your review". */
export function describe(n: Notification): string {
  if (n.type === 'publish_failed') return WHAT.publish_failed;
  return `${n.actorName ?? 'Someone'} ${WHAT[n.type]}`;
}

export function linkOf(n: Notification): string {
  // A client member's posts open on its review page.
  if (session.me?.user.role === 'client') return n.postId ? `/review#post-${n.postId}` : '/review';
  if (n.postId) return `/posts/${n.postId}`;
  return n.campaignId ? `/campaigns/${n.campaignId}` : '/';
}
