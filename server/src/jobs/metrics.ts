import { sql } from 'kysely';
import type { ConnectorName } from '../connectors/registry.ts';
import type { SecretBox } from '../connectors/secrets.ts';
import type { Connector } from '../connectors/types.ts';
import type { Db } from '../db/connect.ts';
import { withSystem, withTenant } from '../db/tenant.ts';
import type { RealtimeBridge } from '../deps.ts';
import type { Logger } from '../logger.ts';
import { ingestSnapshots, type StoredSnapshot } from '../resources/metrics/service.ts';

/**
 * When a published post is asked for its counts again. Engagement moves fastest right after
 * publishing and slows as the post ages, so the wait between two collections grows with the
 * post's age: a tenth of it (`backoff`), never under `minEveryMs` nor over `maxEveryMs`, and
 * collection stops at `stopAfterMs`. With the defaults a post is asked every 5 s in its first
 * minute, every minute at ten minutes, every 6 minutes at one hour, every 2.4 hours at one
 * day and daily from ten days: about 130 collections over its 30 days.
 */
export interface CollectorOptions {
  minEveryMs: number;
  backoff: number;
  maxEveryMs: number;
  stopAfterMs: number;
  batch: number;
}

export const DEFAULT_COLLECTOR: CollectorOptions = {
  minEveryMs: 5_000,
  backoff: 0.1,
  maxEveryMs: 86_400_000,
  stopAfterMs: 30 * 86_400_000,
  batch: 500,
};

/** The wait before the next collection of a post published `ageMs` ago; null once it is done. */
export function nextCollectionAfter(o: CollectorOptions, ageMs: number): number | null {
  if (ageMs >= o.stopAfterMs) return null;
  return Math.min(o.maxEveryMs, Math.max(o.minEveryMs, ageMs * o.backoff));
}

export interface CollectorDeps {
  db: Db;
  logger: Logger;
  dataDir: string;
  connectors: Record<ConnectorName, Connector>;
  secrets: () => Promise<SecretBox>;
  options: CollectorOptions;
  realtime: () => RealtimeBridge | undefined;
}

interface Due {
  post_id: string;
  organisation_id: string;
  connector: ConnectorName;
  external_id: string;
  base_url: string | null;
  credentials: Buffer | null;
}

/**
 * One round of metrics collection: claims posts whose next collection is due (moving their next
 * time on in the same statement, so nodes never ask twice), asks each connector for counts,
 * stores them through the same bulk path as POST /metrics, and after commit hands the stored
 * snapshots to the realtime gateway. Returns how many posts were asked.
 */
export async function collectMetrics(deps: CollectorDeps): Promise<number> {
  const o = deps.options;
  const due = await withSystem(deps.db, async (tx) => {
    const { rows } = await sql<Due>`
      UPDATE post_publishing pp SET metrics_last_at = now(), metrics_next_at = CASE
          -- nextCollectionAfter, in SQL so that claiming and rescheduling are one statement.
          WHEN p.published_at IS NULL OR p.published_at <= now() - make_interval(secs => ${o.stopAfterMs / 1000}) THEN NULL
          ELSE now() + make_interval(secs => least(${o.maxEveryMs / 1000}::float8, greatest(${o.minEveryMs / 1000}::float8,
                 extract(epoch FROM now() - p.published_at) * ${o.backoff}::float8)))
          END
      FROM (
        SELECT q.scheduled_post_id FROM post_publishing q
        WHERE q.metrics_next_at <= now()
        ORDER BY q.metrics_next_at
        LIMIT ${o.batch}
        FOR UPDATE SKIP LOCKED
      ) d
      JOIN scheduled_posts p ON p.id = d.scheduled_post_id
      JOIN reference_data r ON r.id = p.platform_id
      LEFT JOIN connector_accounts ca ON ca.organisation_id = p.organisation_id AND ca.platform = r.code
      WHERE pp.scheduled_post_id = d.scheduled_post_id
      RETURNING pp.scheduled_post_id AS post_id, pp.organisation_id, pp.connector, p.external_id, p.status,
                ca.base_url, ca.credentials`.execute(tx);
    // A post taken back off the network (or never published) keeps no collection schedule.
    return rows.filter((r) => (r as Due & { status: string }).status === 'published' && r.external_id);
  });
  if (due.length === 0) return 0;
  const capturedAt = new Date().toISOString();
  const groups = new Map<string, Due[]>();
  for (const d of due) {
    const k = `${d.organisation_id}|${d.connector}|${d.base_url ?? ''}`;
    groups.set(k, [...(groups.get(k) ?? []), d]);
  }
  for (const items of groups.values()) {
    const first = items[0]!;
    try {
      const connector = deps.connectors[first.connector];
      const credentials = first.credentials
        ? (JSON.parse((await deps.secrets()).open(first.credentials)) as Record<string, string>)
        : null;
      const counts = await connector.fetchMetrics(
        items.map((i) => i.external_id),
        { account: { baseUrl: first.base_url, credentials }, db: deps.db, dataDir: deps.dataDir },
      );
      const postOf = new Map(items.map((i) => [i.external_id, i.post_id]));
      const snapshots = counts.flatMap((c) => {
        const postId = postOf.get(c.externalId);
        return postId
          ? [{ postId, capturedAt, likes: c.likes, shares: c.shares, comments: c.comments, impressions: c.impressions }]
          : [];
      });
      if (snapshots.length === 0) continue;
      const stored: StoredSnapshot[] = (
        await withTenant(deps.db, first.organisation_id, (tx) =>
          ingestSnapshots(tx, { organisationId: first.organisation_id, actorId: null }, snapshots),
        )
      ).inserted;
      if (stored.length) deps.realtime()?.publishMetrics(first.organisation_id, stored);
    } catch (err) {
      deps.logger.warn(
        { err, organisationId: first.organisation_id, connector: first.connector },
        'metrics collection failed',
      );
    }
  }
  return due.length;
}
