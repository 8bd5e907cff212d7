import { sql } from 'kysely';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.ts';
import { withSystem } from '../../src/db/tenant.ts';
import { type JobsOptions, jobsOptions, startJobs } from '../../src/jobs/index.ts';
import { schedulePosts, testDeps } from '../../src/jobs/testkit.ts';
import { seedTenant } from '../../test/fixtures.ts';
import { scratchDatabase } from '../lib/processes.ts';
import type { BenchResult } from '../types.ts';

// 10,000 posts due at the same instant, published through the sandbox connector by the real
// job runner (graphile-worker on PostgreSQL, its polling stand-in on PGlite; batched claims
// under SKIP LOCKED, a change-feed row per move). Measured: how late the last post goes live
// after its time, and the queue's throughput. NODES job runners share the database (as
// separate server nodes would).
const POSTS = Number(process.env.BENCH_PUBLISH_POSTS ?? 10_000);
const NODES = Number(process.env.BENCH_PUBLISH_NODES ?? 2);
const LATENCY_MS = Number(process.env.BENCH_PUBLISH_LATENCY_MS ?? 100);

export async function run(): Promise<BenchResult[]> {
  const base = process.env.DATABASE_URL;
  const scratch = base ? await scratchDatabase(base) : undefined;
  const handles: DatabaseHandle[] = [];
  const open = async () => {
    const h = await openDatabase(scratch ? { databaseUrl: scratch.url, poolSize: 20 } : { memory: true });
    handles.push(h);
    return h;
  };
  const main = await open();
  await main.migrate();
  try {
    const tenant = await seedTenant(main.db);
    const lead = 15_000;
    const due = new Date(Date.now() + lead);
    for (let i = 0; i < POSTS; i += 2_000)
      await schedulePosts(main.db, tenant, Math.min(2_000, POSTS - i), { at: due });
    const env = jobsOptions();
    const options: JobsOptions = {
      ...env,
      // Metrics and webhooks would compete for the same connections; this suite measures publishing.
      metricsPollMs: 3_600_000,
      sandbox: { latencyMs: LATENCY_MS, failureRate: 0 },
    };
    // PGlite has one connection: a second runner on it would measure nothing new.
    const nodes = scratch ? NODES : 1;
    const runners = [];
    for (let n = 0; n < nodes; n++) {
      const h = n === 0 ? main : await open();
      runners.push(await startJobs(await testDeps(h.db), h, options));
    }
    let done = 0;
    while (done < POSTS) {
      await new Promise((r) => setTimeout(r, 250));
      done = await withSystem(main.db, async (tx) => {
        const { rows } = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM scheduled_posts WHERE status = 'published'`.execute(tx);
        return rows[0]!.n;
      });
      if (Date.now() - due.getTime() > 170_000) break;
    }
    const stats = await withSystem(main.db, async (tx) => {
      const { rows } = await sql<{ first: Date; last: Date; n: number; net: number }>`
        SELECT min(pp.created_at) AS first, max(p.updated_at) AS last, count(*)::int AS n,
               (SELECT count(*)::int FROM sandbox_posts) AS net
        FROM scheduled_posts p
        JOIN post_publishing pp ON pp.scheduled_post_id = p.id
        WHERE p.status = 'published'`.execute(tx);
      return rows[0]!;
    });
    for (const r of runners) await r.close();
    const lateS = (stats.last.getTime() - due.getTime()) / 1000;
    const spanS = (stats.last.getTime() - stats.first.getTime()) / 1000;
    return [
      {
        name: `last of ${POSTS.toLocaleString('en-US')} posts due together published (${nodes} runner${nodes > 1 ? 's' : ''}, ${LATENCY_MS} ms sandbox latency)`,
        value: done < POSTS ? Number.POSITIVE_INFINITY : lateS,
        unit: 's late',
        goal: '< 60 s',
        met: done >= POSTS && lateS < 60,
      },
      { name: 'publish jobs completed', value: stats.n / Math.max(spanS, 0.001), unit: 'jobs/s' },
      {
        name: 'network posts per post (exactly once)',
        value: stats.net / POSTS,
        unit: 'x',
        goal: '= 1',
        met: stats.net === POSTS,
      },
    ];
  } finally {
    for (const h of handles.reverse()) await h.close();
    await scratch?.drop();
  }
}
