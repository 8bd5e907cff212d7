import pg from 'pg';
import { apiOf, percentile, scratchDatabase, signUpOwner, startNode } from '../lib/processes.ts';
import type { BenchResult } from '../types.ts';

// GET /search at 100,000 posts (and as many notes' worth of words): posts are generated in
// SQL from a vocabulary with accented words, then single requests are timed one after another
// (latency, not throughput: the search box sends one query per pause in typing).

const POSTS = Number(process.env.BENCH_SEARCH_POSTS ?? 100_000);
const RUNS = 100;

export async function run(): Promise<BenchResult[]> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.error('  search needs DATABASE_URL (a PostgreSQL server): skipped');
    return [];
  }
  const scratch = await scratchDatabase(base);
  const chorus = await startNode('src/main.ts', { DATABASE_URL: scratch.url });
  try {
    const api = apiOf(chorus.url);
    const token = await signUpOwner(chorus.url, 'Search Agency', 'search-bench@example.com');
    const client = await api('/clients', { name: 'Café Lumière' }, token);
    const campaign = await api(
      '/campaigns',
      { clientId: client.id, name: 'Summer Espresso', platform: 'x', startDate: '2026-01-01', endDate: '2026-12-31' },
      token,
    );
    const seed = await api('/posts', { campaignId: campaign.id, content: 'seed' }, token);
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    const t0 = performance.now();
    // Eight to twenty words from a 2,000-word vocabulary ("wordNNN", a few accented), plus one
    // rare word in every thousandth post.
    await db.query(
      `INSERT INTO scheduled_posts (organisation_id, campaign_id, platform_id, content, created_by, updated_by)
       SELECT p.organisation_id, p.campaign_id, p.platform_id,
              (SELECT string_agg(CASE WHEN w % 97 = 0 THEN 'café' || (w % 13) WHEN w % 89 = 0 THEN 'déjà' || (w % 7)
                                      ELSE 'word' || w END, ' ')
                 FROM (SELECT (floor(random() * 2000))::int + g * 0 AS w FROM generate_series(1, 8 + (g % 13))) words)
              || CASE WHEN g % 1000 = 0 THEN ' zephyrine' ELSE '' END,
              p.created_by, p.created_by
         FROM scheduled_posts p, generate_series(1, $2::int) g
        WHERE p.id = $1`,
      [seed.id, POSTS],
    );
    await db.query('ANALYZE scheduled_posts');
    const loadMs = performance.now() - t0;
    await db.end();

    const results: BenchResult[] = [
      {
        name: `load ${POSTS.toLocaleString('en-US')} posts (INSERT … SELECT + GIN index upkeep)`,
        value: loadMs / 1000,
        unit: 's',
      },
    ];
    for (const [label, q] of [
      ['rare word (100 hits)', 'zephyr'],
      ['accent-folded prefix (cafe → café…)', 'cafe'],
      ['two common prefixes (word1 word2)', 'word1 word2'],
      ['no match', 'qqqqq'],
    ] as const) {
      const times: number[] = [];
      let hits = 0;
      for (let i = 0; i < RUNS + 5; i++) {
        const t = performance.now();
        const res = await fetch(`${chorus.url}/api/v1/search?q=${encodeURIComponent(q)}&limit=20`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (res.status !== 200) throw new Error(`search ${q}: ${res.status}`);
        hits = ((await res.json()) as { items: unknown[] }).items.length;
        if (i >= 5) times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      results.push({ name: `GET /search ${label} p50 (${hits} answered)`, value: percentile(times, 50), unit: 'ms' });
      results.push({
        name: `GET /search ${label} p95`,
        value: percentile(times, 95),
        unit: 'ms',
        goal: 'p95 < 200 ms',
        met: percentile(times, 95) < 200,
      });
    }
    return results;
  } finally {
    await chorus.stop();
    await scratch.drop();
  }
}
