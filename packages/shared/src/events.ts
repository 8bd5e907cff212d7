/**
 * The one typed map of Socket.IO events, shared by the server gateway and the web client
 * (docs/events.md). Every event name and payload is declared here once.
 */

export type ChangeEntity = 'organisation' | 'user' | 'client' | 'campaign' | 'post' | 'note' | 'asset';

export interface ChangeEvent {
  /** Rises strictly, without gaps, within an organisation. */
  seq: number;
  entity: ChangeEntity;
  op: 'insert' | 'update' | 'delete';
  id: string;
  /** The resource as GET answers it; absent for deletes. */
  data?: unknown;
  actorId: string | null;
  at: string;
}

export interface MetricsEvent {
  postId: string;
  campaignId: string;
  capturedAt: string;
  likes: number;
  shares: number;
  comments: number;
  impressions: number;
}

export interface PresenceEvent {
  /** "campaign:<id>" or "post:<id>". */
  room: string;
  users: { id: string; name: string }[];
}

/**
 * Sent instead of history when the client's lastSeq is older than the retained feed, further
 * behind the head than the server's catch-up limit (`CHANGE_CATCHUP_LIMIT`, default 10,000
 * changes), or ahead of the feed. The client reloads what it shows over REST and continues
 * from `lastSeq`.
 */
export interface ResyncEvent {
  lastSeq: number;
}

export type NotificationType =
  | 'review_requested'
  | 'changes_requested'
  | 'approved'
  | 'mentioned'
  | 'replied'
  | 'publish_failed';

/** One notification, as GET /api/v1/notifications lists it. */
export interface NotificationItem {
  id: string;
  type: NotificationType;
  postId: string | null;
  campaignId: string | null;
  noteId: string | null;
  actorId: string | null;
  actorName: string | null;
  excerpt: string;
  campaignName: string | null;
  createdAt: string;
  readAt: string | null;
}

/** Sent to the recipient's sockets as soon as the change that caused it commits. */
export interface NotificationEvent {
  notification: NotificationItem;
  unreadCount: number;
}

export type SubscribeTarget = { campaignId: string } | { postId: string };
export type Ack = { ok: true } | { ok: false; code: 'not_found' | 'validation_failed' | 'forbidden' };

export interface ServerToClientEvents {
  change: (change: ChangeEvent) => void;
  metrics: (snapshot: MetricsEvent) => void;
  presence: (presence: PresenceEvent) => void;
  resync: (info: ResyncEvent) => void;
  notification: (event: NotificationEvent) => void;
}

export interface ClientToServerEvents {
  subscribe: (target: SubscribeTarget, ack?: (answer: Ack) => void) => void;
  unsubscribe: (target: SubscribeTarget, ack?: (answer: Ack) => void) => void;
}

/**
 * What the handshake's `auth` may carry. `lastSeq` is where the client is: the `X-Chorus-Seq`
 * of the REST answer its state came from (a new tab), or the last change it applied (a resume).
 * Without it the socket joins at the head, with no replay.
 */
export interface HandshakeAuth {
  token?: string;
  lastSeq?: number;
}
