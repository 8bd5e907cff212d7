import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { withSystem, withTenant } from '../db/tenant.ts';
import type { AppDeps } from '../deps.ts';
import { createMetrics } from '../http/health.ts';
import { createLogger } from '../logger.ts';
import type { JobsOptions } from './index.ts';
import { DEFAULT_COLLECTOR } from './metrics.ts';
import { DEFAULT_PUBLISHER } from './publisher.ts';

/** Fast timings so tests see retries, take-overs and collections within seconds. */
export function fastOptions(over: Partial<JobsOptions['publisher']> = {}, latencyMs = 20): JobsOptions {
  return {
    pollMs: 50,
    metricsPollMs: 100,
    webhookPollMs: 50,
    publisher: { ...DEFAULT_PUBLISHER, backoffMs: 30, stuckAfterMs: 60_000, firstMetricsAfterMs: 0, ...over },
    collector: { ...DEFAULT_COLLECTOR, minEveryMs: 200 },
    sandbox: { latencyMs, failureRate: 0 },
    webhookBackoffMs: 50,
    mailPollMs: 100,
    mailBackoffMs: 50,
  };
}

export async function testDeps(db: Db): Promise<AppDeps> {
  const dataDir = await mkdtemp(join(tmpdir(), 'chorus-jobs-'));
  return {
    config: loadConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      CHORUS_SECRET_KEY: undefined,
      // The fake Mastodon and webhook receivers of these tests listen on loopback.
      CHORUS_OUTBOUND_ALLOW: '127.0.0.1/32',
    }),
    logger: createLogger('silent'),
    db,
    metrics: createMetrics(),
  };
}

/** Inserts posts already scheduled at `at` (straight to the table: the API refuses past times). */
export async function schedulePosts(
  db: Db,
  t: { orgId: string; campaignId: string },
  n: number,
  opts: { at?: Date; content?: string; platform?: string } = {},
): Promise<string[]> {
  return withTenant(db, t.orgId, async (tx) => {
    const platform = await tx
      .selectFrom('reference_data')
      .select('id')
      .where('category', '=', 'platform')
      .where('code', '=', opts.platform ?? 'x')
      .executeTakeFirstOrThrow();
    const rows = await tx
      .insertInto('scheduled_posts')
      .values(
        Array.from({ length: n }, (_, i) => ({
          organisation_id: t.orgId,
          campaign_id: t.campaignId,
          platform_id: platform.id,
          content: opts.content ?? `Post ${i}`,
          status: 'scheduled',
          scheduled_at: opts.at ?? new Date(),
        })),
      )
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  });
}

export function statuses(db: Db, ids: string[]) {
  return withSystem(db, (tx) =>
    tx
      .selectFrom('scheduled_posts')
      .select(['id', 'status', 'external_id', 'external_url', 'published_at', 'failure_reason'])
      .where('id', 'in', ids)
      .execute(),
  );
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
