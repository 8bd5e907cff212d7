import autocannon from 'autocannon';
import { apiOf, scratchDatabase, signUpOwner, startNode } from '../lib/processes.ts';
import type { BenchResult } from '../types.ts';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

async function load(url: string, token: string) {
  // A short warm-up so JIT and pools are hot before the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers: { authorization: `Bearer ${token}` } });
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}` },
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

export async function run(): Promise<BenchResult[]> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.error('  api-http needs DATABASE_URL (a PostgreSQL server): skipped');
    return [];
  }
  const scratch = await scratchDatabase(base);
  const chorus = await startNode('src/main.ts', { DATABASE_URL: scratch.url });
  const bare = await startNode('bench/baselines/bare-http.ts', { DATABASE_URL: scratch.url });
  try {
    const api = apiOf(chorus.url);
    const token = await signUpOwner(chorus.url, 'Bench Agency', 'bench@example.com');
    const client = await api('/clients', { name: 'Bench client' }, token);
    const campaign = await api(
      '/campaigns',
      { clientId: client.id, name: 'Bench campaign', platform: 'x', startDate: '2026-01-01', endDate: '2026-12-31' },
      token,
    );
    for (let i = 0; i < 50; i++) {
      await api(
        '/posts',
        {
          campaignId: campaign.id,
          content: `Post ${i}`,
          scheduledAt: new Date(Date.UTC(2026, 5, 1 + (i % 28), i % 24)).toISOString(),
        },
        token,
      );
    }

    const results: BenchResult[] = [];
    for (const [label, path] of [
      ['GET /campaigns/:id', `/api/v1/campaigns/${campaign.id}`],
      ['GET /posts?campaignId= (50 posts)', `/api/v1/posts?campaignId=${campaign.id}&limit=50`],
    ] as const) {
      const baseline = await load(bare.url + path, token);
      const ours = await load(chorus.url + path, token);
      results.push({
        name: `${label} requests/s (${CONNECTIONS} connections)`,
        value: ours.rps,
        unit: 'req/s',
        baseline: { name: 'bare node:http, same SQL', value: baseline.rps },
        ratio: ours.rps / baseline.rps,
        goal: '>= 0.7x baseline',
        met: ours.rps / baseline.rps >= 0.7,
      });
      results.push({
        name: `${label} p99 latency`,
        value: ours.p99,
        unit: 'ms',
        baseline: { name: 'bare node:http, same SQL', value: baseline.p99 },
        ratio: baseline.p99 / ours.p99,
      });
    }
    return results;
  } finally {
    await chorus.stop();
    await bare.stop();
    await scratch.drop();
  }
}
