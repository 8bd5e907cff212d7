import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, queryDb, type TestDatabase } from '../../test/db.ts';
import { feedRows } from '../../test/feed.ts';
import { seedTenant, type Tenant } from '../../test/fixtures.ts';
import { connectorRegistry } from '../connectors/registry.ts';
import { loadSecretBox } from '../connectors/secrets.ts';
import { withSystem, withTenant } from '../db/tenant.ts';
import type { StoredSnapshot } from '../resources/metrics/service.ts';
import { type Jobs, startJobs } from './index.ts';
import { collectMetrics, DEFAULT_COLLECTOR, nextCollectionAfter } from './metrics.ts';
import { DEFAULT_PUBLISHER } from './publisher.ts';
import { fastOptions, schedulePosts, statuses, testDeps, waitFor } from './testkit.ts';

let database: TestDatabase;
let tenant: Tenant;

beforeAll(async () => {
  database = await freshDatabase();
  tenant = await seedTenant(database.db);
});
afterAll(async () => {
  await database.close();
});

async function withJobs<T>(
  opts: ReturnType<typeof fastOptions>,
  fn: (jobs: Jobs, published: StoredSnapshot[][]) => Promise<T>,
) {
  const deps = await testDeps(database.db);
  const pushed: StoredSnapshot[][] = [];
  deps.realtime = { publishMetrics: (_org, s) => pushed.push(s) };
  const jobs = await startJobs(deps, database, opts);
  try {
    return await fn(jobs, pushed);
  } finally {
    await jobs.close();
  }
}

const changesFor = (id: string) => feedRows(database.db, tenant.orgId, id);

describe('publishing', () => {
  it('publishes a due post through the sandbox, recording each move in the change feed, then collects metrics', async () => {
    const [id] = await schedulePosts(database.db, tenant, 1);
    await withJobs(fastOptions(), async (_jobs, pushed) => {
      const [row] = await waitFor(
        async () => {
          const r = await statuses(database.db, [id!]);
          return r[0]?.status === 'published' && r;
        },
        10_000,
        'published',
      );
      expect(row!.external_id).toMatch(/^sbx_/);
      expect(row!.external_url).toContain(row!.external_id);
      expect(row!.published_at).toBeInstanceOf(Date);
      const feed = await changesFor(id!);
      const moves = feed.map((c) => (c.data as { status: string }).status);
      expect(moves).toEqual(['publishing', 'published']);
      expect(feed.every((c) => c.actor_id === null)).toBe(true);
      expect((feed[1]!.data as { externalId: string }).externalId).toBe(row!.external_id);

      // Snapshots land in post_metrics and reach the realtime hook, more than once.
      await waitFor(async () => pushed.flat().filter((s) => s.postId === id).length >= 2, 10_000, 'two metric pushes');
      const stored = await withTenant(database.db, tenant.orgId, (tx) =>
        tx.selectFrom('post_metrics').selectAll().where('scheduled_post_id', '=', id!).orderBy('captured_at').execute(),
      );
      expect(stored.length).toBeGreaterThanOrEqual(2);
      expect(stored.at(-1)!.impressions).toBeGreaterThanOrEqual(stored[0]!.impressions);
      expect(pushed.flat().find((s) => s.postId === id)!.campaignId).toBe(tenant.campaignId);
    });
  });

  it('retries transient failures with backoff, then fails with a reason; permanent errors fail at once', async () => {
    const [flaky] = await schedulePosts(database.db, tenant, 1, { content: 'Hello [sandbox:flaky]' });
    const [broken] = await schedulePosts(database.db, tenant, 1, { content: 'Hello [sandbox:fail]' });
    await withJobs(fastOptions({ maxAttempts: 3 }), async () => {
      const rows = await waitFor(
        async () => {
          const r = await statuses(database.db, [flaky!, broken!]);
          return r.every((x) => x.status === 'failed') && r;
        },
        10_000,
        'both failed',
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(flaky!)!.failure_reason).toMatch(/unavailable.*gave up after 3 attempts/);
      expect(byId.get(broken!)!.failure_reason).toMatch(/rejected the post/);
      const attempts = await withSystem(database.db, (tx) =>
        tx
          .selectFrom('post_publishing')
          .select(['scheduled_post_id', 'attempts'])
          .where('scheduled_post_id', 'in', [flaky!, broken!])
          .execute(),
      );
      expect(new Map(attempts.map((a) => [a.scheduled_post_id, a.attempts]))).toEqual(
        new Map([
          [flaky, 3],
          [broken, 1],
        ]),
      );
      const feed = await changesFor(flaky!);
      expect(feed.map((c) => (c.data as { status: string }).status)).toEqual(['publishing', 'failed']);
      expect((feed[1]!.data as { failureReason: string }).failureReason).toMatch(/gave up/);
    });
  });

  it('follows a reschedule and never publishes a cancelled post', async () => {
    const soon = new Date(Date.now() + 600);
    const [moved, cancelled, kept] = await schedulePosts(database.db, tenant, 3, { at: soon });
    await withJobs(fastOptions(), async () => {
      await withTenant(database.db, tenant.orgId, async (tx) => {
        await tx
          .updateTable('scheduled_posts')
          .set({ scheduled_at: new Date(Date.now() + 3_600_000) })
          .where('id', '=', moved!)
          .execute();
        await tx.updateTable('scheduled_posts').set({ status: 'cancelled' }).where('id', '=', cancelled!).execute();
      });
      await waitFor(async () => (await statuses(database.db, [kept!]))[0]!.status === 'published', 10_000, 'kept');
      await new Promise((r) => setTimeout(r, 300));
      const rows = new Map((await statuses(database.db, [moved!, cancelled!])).map((r) => [r.id, r.status]));
      expect(rows.get(moved!)).toBe('scheduled');
      expect(rows.get(cancelled!)).toBe('cancelled');
      const handed = await withSystem(database.db, (tx) =>
        tx
          .selectFrom('sandbox_posts')
          .select('scheduled_post_id')
          .where('scheduled_post_id', 'in', [moved!, cancelled!])
          .execute(),
      );
      expect(handed).toEqual([]);
    });
  });

  it('settles an attempt whose node died: same idempotency key, one post on the network', async () => {
    const [id] = await schedulePosts(database.db, tenant, 1);
    // A node claimed the post, handed it over (the network stored it) and died before storing.
    const key = '6f1c4b6e-8a59-4c57-9d0e-0a7b3c1d2e3f';
    await withSystem(database.db, async (tx) => {
      await tx.updateTable('scheduled_posts').set({ status: 'publishing' }).where('id', '=', id!).execute();
      await tx
        .insertInto('post_publishing')
        .values({
          scheduled_post_id: id!,
          organisation_id: tenant.orgId,
          connector: 'sandbox',
          idempotency_key: key,
          attempts: 1,
          started_at: new Date(Date.now() - 120_000),
        })
        .execute();
      await tx
        .insertInto('sandbox_posts')
        .values({
          idempotency_key: key,
          organisation_id: tenant.orgId,
          external_id: `sbx_${Date.now().toString(36)}_dead`,
          scheduled_post_id: id!,
        })
        .execute();
    });
    await withJobs(fastOptions({ stuckAfterMs: 1_000 }), async () => {
      const [row] = await waitFor(async () => {
        const r = await statuses(database.db, [id!]);
        return r[0]?.status === 'published' && r;
      });
      expect(row!.external_id).toMatch(/_dead$/);
      const net = await withSystem(database.db, (tx) =>
        tx.selectFrom('sandbox_posts').select(['calls']).where('scheduled_post_id', '=', id!).execute(),
      );
      expect(net).toEqual([{ calls: 2 }]);
    });
  });
});

describe.runIf(process.env.DATABASE_URL)('the publishing queue (graphile-worker on PostgreSQL)', () => {
  const jobOf = async (id: string) =>
    (await queryDb(
      database.url!,
      `SELECT t.identifier AS task_identifier, j.run_at, j.payload FROM graphile_worker._private_jobs j
       JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE j.key = $1`,
      [`publish:${id}`],
    )) as { task_identifier: string; run_at: Date; payload: { postId: string } }[];

  it('keeps one job per scheduled post at its time, moved by a reschedule and removed by any unscheduling', async () => {
    const at = new Date(Date.now() + 3_600_000);
    const [moved, cancelled, reviewed, deleted] = await schedulePosts(database.db, tenant, 4, { at });
    for (const id of [moved!, cancelled!, reviewed!, deleted!]) {
      const [job] = await jobOf(id);
      expect(job).toMatchObject({ task_identifier: 'publish_post', payload: { postId: id } });
      expect(job!.run_at.getTime()).toBe(at.getTime());
    }
    const later = new Date(at.getTime() + 86_400_000);
    await withTenant(database.db, tenant.orgId, async (tx) => {
      await tx.updateTable('scheduled_posts').set({ scheduled_at: later }).where('id', '=', moved!).execute();
      await tx.updateTable('scheduled_posts').set({ status: 'cancelled' }).where('id', '=', cancelled!).execute();
      await tx.updateTable('scheduled_posts').set({ status: 'in_review' }).where('id', '=', reviewed!).execute();
      await tx.deleteFrom('scheduled_posts').where('id', '=', deleted!).execute();
    });
    const [job] = await jobOf(moved!);
    expect(job!.run_at.getTime()).toBe(later.getTime());
    expect(await jobOf(cancelled!)).toEqual([]);
    expect(await jobOf(reviewed!)).toEqual([]);
    expect(await jobOf(deleted!)).toEqual([]);
    // Scheduled again: a job again.
    await withTenant(database.db, tenant.orgId, (tx) =>
      tx.updateTable('scheduled_posts').set({ status: 'scheduled' }).where('id', '=', reviewed!).execute(),
    );
    expect(await jobOf(reviewed!)).toHaveLength(1);
  });

  it('publishes a post whose job was lost, through the sweeper', async () => {
    const [id] = await schedulePosts(database.db, tenant, 1, { at: new Date(Date.now() - 60_000) });
    await queryDb(database.url!, 'SELECT graphile_worker.remove_job($1)', [`publish:${id}`]);
    expect(await jobOf(id!)).toEqual([]);
    await withJobs(fastOptions({ stuckAfterMs: 1_000 }), async () => {
      await waitFor(async () => (await statuses(database.db, [id!]))[0]!.status === 'published', 10_000, 'published');
    });
  });
});

describe('metrics collection schedule', () => {
  it('backs off with age: a tenth of it, from 5 s to a day, and stops after 30 days', () => {
    const o = DEFAULT_COLLECTOR;
    expect(nextCollectionAfter(o, 0)).toBe(5_000);
    expect(nextCollectionAfter(o, 30_000)).toBe(5_000);
    expect(nextCollectionAfter(o, 10 * 60_000)).toBe(60_000);
    expect(nextCollectionAfter(o, 3_600_000)).toBe(360_000);
    expect(nextCollectionAfter(o, 20 * 86_400_000)).toBe(86_400_000);
    expect(nextCollectionAfter(o, 30 * 86_400_000)).toBeNull();
    // Never shorter for an older post.
    let last = 0;
    for (let age = 0; age < 30 * 86_400_000; age += 997_001) {
      const wait = nextCollectionAfter(o, age)!;
      expect(wait).toBeGreaterThanOrEqual(last);
      last = wait;
    }
  });

  it('asks a post within seconds of publishing, then reschedules it as the rule says for its age', async () => {
    const [fresh, hourOld, dayOld, expired] = await schedulePosts(database.db, tenant, 4);
    const deps = await testDeps(database.db);
    const options = fastOptions({ firstMetricsAfterMs: DEFAULT_PUBLISHER.firstMetricsAfterMs });
    await withJobs({ ...options, metricsPollMs: 3_600_000 }, async () => {
      await waitFor(
        async () =>
          (await statuses(database.db, [fresh!, hourOld!, dayOld!, expired!])).every((r) => r.status === 'published'),
        10_000,
        'published',
      );
    });
    // The publisher set the first collection a few seconds after publishing.
    const first = await queryDb(
      database.url!,
      `SELECT extract(epoch FROM pp.metrics_next_at - p.published_at)::float8 AS wait
         FROM post_publishing pp JOIN scheduled_posts p ON p.id = pp.scheduled_post_id WHERE p.id = $1`,
      [fresh],
    );
    expect(first[0]!.wait).toBeGreaterThan(0);
    expect(first[0]!.wait).toBeLessThanOrEqual(DEFAULT_PUBLISHER.firstMetricsAfterMs / 1000 + 1);

    // Age the posts, make them all due, and run one collection round.
    await withSystem(database.db, async (tx) => {
      for (const [id, age] of [
        [hourOld, '1 hour'],
        [dayOld, '1 day'],
        [expired, '31 days'],
      ] as const) {
        await sql`UPDATE scheduled_posts SET published_at = now() - ${age}::interval WHERE id = ${id}`.execute(tx);
      }
      await sql`UPDATE post_publishing SET metrics_next_at = now() - interval '1 second'
                 WHERE scheduled_post_id IN (${fresh}, ${hourOld}, ${dayOld}, ${expired})`.execute(tx);
    });
    const connectors = connectorRegistry({ sandbox: options.sandbox, outboundAllow: deps.config.outboundAllow });
    const asked = await collectMetrics({
      db: database.db,
      logger: deps.logger,
      dataDir: deps.config.dataDir,
      connectors,
      secrets: () => loadSecretBox(deps.config.dataDir, deps.config.secretKey),
      options: DEFAULT_COLLECTOR,
      realtime: () => undefined,
    });
    expect(asked).toBeGreaterThanOrEqual(3);
    const next = await queryDb(
      database.url!,
      `SELECT scheduled_post_id AS id, extract(epoch FROM metrics_next_at - metrics_last_at)::float8 AS wait
         FROM post_publishing WHERE scheduled_post_id IN ($1, $2, $3, $4)`,
      [fresh, hourOld, dayOld, expired],
    );
    const wait = new Map(next.map((r) => [r.id, r.wait]));
    expect(wait.get(fresh!)).toBeCloseTo(5, 0);
    expect(wait.get(hourOld!)).toBeCloseTo(360, -1);
    expect(wait.get(dayOld!)).toBeCloseTo(8640, -1);
    expect(wait.get(expired!)).toBeNull();
    // Every post still collecting got a snapshot in that round.
    const got = await queryDb(
      database.url!,
      'SELECT count(DISTINCT scheduled_post_id)::int AS n FROM post_metrics WHERE scheduled_post_id IN ($1, $2, $3)',
      [fresh, hourOld, dayOld],
    );
    expect(got[0]!.n).toBe(3);
  });
});
