import type { RuleViolation } from '@chorus/domain';
import type { Db } from '../db/connect.ts';

/** What a connector is handed to publish: the post as stored, with its media. */
export interface PublishablePost {
  id: string;
  organisationId: string;
  platform: string;
  content: string;
  assets: { id: string; mediaType: string; fileName: string; storageKey: string }[];
}

/** The per-organisation account a connector publishes with (decrypted credentials). */
export interface ConnectorAccount {
  baseUrl: string | null;
  credentials: Record<string, string> | null;
}

export interface PublishContext {
  /**
   * Same for every attempt of one publication. A connector must make publish idempotent on it
   * (the platform's own idempotency header, or a lookup): the sweeper settles an attempt whose
   * node died by simply publishing again with the same key.
   */
  idempotencyKey: string;
  account: ConnectorAccount;
  db: Db;
  dataDir: string;
  signal?: AbortSignal;
}

export interface PublishResult {
  externalId: string;
  externalUrl: string;
  publishedAt?: Date;
}

export interface MetricsCounts {
  externalId: string;
  likes: number;
  shares: number;
  comments: number;
  impressions: number;
}

export interface Connector {
  readonly name: string;
  publish(post: PublishablePost, ctx: PublishContext): Promise<PublishResult>;
  /** Cumulative counts for published posts; ids the platform no longer knows are left out. */
  fetchMetrics(externalIds: string[], ctx: Omit<PublishContext, 'idempotencyKey'>): Promise<MetricsCounts[]>;
  validate(platform: string, content: string, assets: { mediaType: string }[]): RuleViolation[];
}

/**
 * A failure to publish. transient: worth retrying with backoff (timeouts, 5xx, 429);
 * otherwise the post fails at once with this message as its failureReason.
 */
export class PublishError extends Error {
  readonly transient: boolean;
  constructor(message: string, opts: { transient: boolean; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.transient = opts.transient;
  }
}
