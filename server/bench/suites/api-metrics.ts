import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.ts';
import { withTenant } from '../../src/db/tenant.ts';
import { createLogger } from '../../src/logger.ts';
import { startServer } from '../../src/server.ts';
import { scratchDatabase } from '../lib/processes.ts';
import type { BenchResult } from '../types.ts';

// Metrics ingest through the real HTTP API (POST /metrics, 10,000 snapshots a call: JSON
// parsing, validation, the visibility check and one unnest INSERT) against the naive way of
// storing the same rows: one INSERT per snapshot through the same Kysely connection, all inside
// a single tenant transaction (so the baseline pays no per-row commit — the kindest version).
const BATCH = 10_000;
const CALLS = Number(process.env.BENCH_METRICS_CALLS ?? 12);
const BASELINE_ROWS = Number(process.env.BENCH_METRICS_BASELINE_ROWS ?? 10_000);
const POSTS = 50;
const CONCURRENT = Number(process.env.BENCH_METRICS_CONCURRENCY ?? 4);

export async function run(): Promise<BenchResult[]> {
  const base = process.env.DATABASE_URL;
  const scratch = base ? await scratchDatabase(base) : undefined;
  const dataDir = await mkdtemp(join(tmpdir(), 'chorus-bench-metrics-'));
  const database: DatabaseHandle = await openDatabase(
    scratch ? { databaseUrl: scratch.url, poolSize: 10 } : { memory: true },
  );
  const server = await startServer(
    loadConfig({ PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir }),
    createLogger('silent'),
    { database },
  );
  try {
    const api = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${server.url}/api/v1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as any;
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const reg = await api('/auth/register', {
      organisationName: 'Metrics Bench',
      name: 'Bench',
      email: 'metrics-bench@example.com',
      password: 'steady throughput 2026',
    });
    const token = reg.token as string;
    const orgId = reg.organisation.id as string;
    const client = await api('/clients', { name: 'Bench client' }, token);
    const campaign = await api(
      '/campaigns',
      { clientId: client.id, name: 'Bench', platform: 'x', startDate: '2026-01-01', endDate: '2026-12-31' },
      token,
    );
    const posts: string[] = [];
    for (let i = 0; i < POSTS; i++) {
      posts.push((await api('/posts', { campaignId: campaign.id, content: `Post ${i}`, platform: 'x' }, token)).id);
    }

    // Distinct (post, time) pairs throughout, so every row is a real insert, never a duplicate.
    let minute = 0;
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const next = (n: number) => {
      const rows = Array.from({ length: n }, (_, i) => {
        const m = minute + Math.floor(i / POSTS);
        const v = m * 3;
        return {
          postId: posts[i % POSTS]!,
          capturedAt: new Date(t0 + m * 60_000).toISOString(),
          likes: v,
          shares: v >> 2,
          comments: v >> 3,
          impressions: v * 40,
        };
      });
      minute += Math.ceil(n / POSTS);
      return rows;
    };

    // Warm-up: JIT, prepared plans, pool connections.
    await api('/metrics', { snapshots: next(BATCH) }, token);

    // The API: bodies are serialised up front so the clock measures the server, not the client.
    const bodies = Array.from({ length: CALLS }, () => JSON.stringify({ snapshots: next(BATCH) }));
    const lat: number[] = [];
    const apiStart = performance.now();
    for (const body of bodies) {
      const s = performance.now();
      const res = await fetch(`${server.url}/api/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      const out = (await res.json()) as { accepted: number };
      if (res.status !== 200 || out.accepted !== BATCH) throw new Error(`ingest: ${res.status} ${JSON.stringify(out)}`);
      lat.push(performance.now() - s);
    }
    const apiSeconds = (performance.now() - apiStart) / 1000;
    const apiRate = (CALLS * BATCH) / apiSeconds;

    // Several collectors at once: the same calls, CONCURRENT in flight (each its own transaction).
    const parallelBodies = Array.from({ length: CONCURRENT * 2 }, () => JSON.stringify({ snapshots: next(BATCH) }));
    const parStart = performance.now();
    let cursor = 0;
    await Promise.all(
      Array.from({ length: CONCURRENT }, async () => {
        while (cursor < parallelBodies.length) {
          const body = parallelBodies[cursor++]!;
          const res = await fetch(`${server.url}/api/v1/metrics`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body,
          });
          const out = (await res.json()) as { accepted: number };
          if (out.accepted !== BATCH) throw new Error(`parallel ingest: ${res.status} ${JSON.stringify(out)}`);
        }
      }),
    );
    const parRate = (parallelBodies.length * BATCH) / ((performance.now() - parStart) / 1000);

    // Re-posting a batch: every row is a duplicate and nothing is written.
    const dupStart = performance.now();
    const dupRes = await fetch(`${server.url}/api/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: bodies[0]!,
    });
    const dup = (await dupRes.json()) as { duplicates: number };
    const dupMs = performance.now() - dupStart;
    if (dup.duplicates !== BATCH) throw new Error(`re-post: ${JSON.stringify(dup)}`);

    // The baseline: one INSERT per snapshot, same connection, same table, same conflict rule.
    const rows = next(BASELINE_ROWS);
    const baseStart = performance.now();
    await withTenant(database.db, orgId, async (tx) => {
      for (const r of rows) {
        await sql`
          INSERT INTO post_metrics (organisation_id, scheduled_post_id, captured_at, likes, shares, comments, impressions, created_by, updated_by)
          VALUES (${orgId}, ${r.postId}, ${r.capturedAt}, ${r.likes}, ${r.shares}, ${r.comments}, ${r.impressions}, ${reg.user.id}, ${reg.user.id})
          ON CONFLICT (scheduled_post_id, captured_at) DO NOTHING`.execute(tx);
      }
    });
    const baseRate = BASELINE_ROWS / ((performance.now() - baseStart) / 1000);

    lat.sort((a, b) => a - b);
    const engine = scratch ? 'PostgreSQL' : 'PGlite';
    return [
      {
        name: `POST /metrics ingest, ${BATCH.toLocaleString('en-US')} snapshots/call, ${CALLS} calls (${engine})`,
        value: apiRate,
        unit: 'rows/s',
        baseline: { name: 'one INSERT per snapshot, same connection', value: baseRate },
        ratio: apiRate / baseRate,
        goal: '>= 100,000 rows/s and >= 20x baseline',
        met: apiRate >= 100_000 && apiRate / baseRate >= 20,
      },
      {
        name: `POST /metrics ingest, ${CONCURRENT} calls in flight (${engine})`,
        value: parRate,
        unit: 'rows/s',
      },
      {
        name: `POST /metrics median call (${BATCH.toLocaleString('en-US')} new snapshots)`,
        value: lat[Math.floor(lat.length / 2)]!,
        unit: 'ms',
      },
      {
        name: `POST /metrics re-post of ${BATCH.toLocaleString('en-US')} (all duplicates)`,
        value: dupMs,
        unit: 'ms',
      },
    ];
  } finally {
    await server.close();
    await database.close();
    await scratch?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
