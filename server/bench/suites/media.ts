import pg from 'pg';
import { apiOf, percentile, scratchDatabase, signUpOwner, startNode } from '../lib/processes.ts';
import type { BenchResult } from '../types.ts';

// The media library of a busy agency after a year: 20 clients, 10,000 files (every 47th a
// "hero", every 10th a video) and 50,000 posts each using one or two of its client's files.
// Rows are generated in SQL (the bytes are not needed to list them); then single requests are
// timed one after another, against a one-row read (GET /campaigns/:id) timed the same way in
// the same run.

const FILES = Number(process.env.BENCH_MEDIA_FILES ?? 10_000);
const POSTS = Number(process.env.BENCH_MEDIA_POSTS ?? 50_000);
const CLIENTS = 20;
const RUNS = 100;

export async function run(): Promise<BenchResult[]> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.error('  media needs DATABASE_URL (a PostgreSQL server): skipped');
    return [];
  }
  const scratch = await scratchDatabase(base);
  const chorus = await startNode('src/main.ts', { DATABASE_URL: scratch.url });
  try {
    const api = apiOf(chorus.url);
    const token = await signUpOwner(chorus.url, 'Media Agency', 'media-bench@example.com');
    const campaigns: string[] = [];
    let clientId = '';
    for (let i = 0; i < CLIENTS; i++) {
      const client = await api('/clients', { name: `Client ${i}` }, token);
      clientId ||= client.id;
      const c = await api(
        '/campaigns',
        {
          clientId: client.id,
          name: `Always on ${i}`,
          platform: 'instagram',
          startDate: '2026-01-01',
          endDate: '2026-12-31',
        },
        token,
      );
      campaigns.push(c.id);
    }
    const db = new pg.Client({ connectionString: scratch.url });
    // The scratch database is dropped in `finally`: a connection it ends must not crash the run.
    db.on('error', () => {});
    await db.connect();
    const t0 = performance.now();
    // Files spread over the year and the clients' campaigns; every 50th is a "hero".
    await db.query(
      `INSERT INTO assets (organisation_id, campaign_id, file_name, media_type, size_bytes, sha256, storage_key,
                           created_at, created_by, updated_by)
       SELECT c.organisation_id, c.id,
              CASE WHEN g % 47 = 0 THEN 'hero-' ELSE 'photo-' END || g || '.jpg',
              CASE WHEN g % 10 = 0 THEN 'video/mp4' ELSE 'image/jpeg' END,
              200000 + g, repeat('a', 64), 'bench/' || g,
              now() - make_interval(secs => ((g::bigint * 3153) % 31536000)::float8), c.created_by, c.created_by
         FROM generate_series(1, $1::int) g
         JOIN LATERAL (SELECT * FROM campaigns ORDER BY id OFFSET (g % $2::int) LIMIT 1) c ON true`,
      [FILES, CLIENTS],
    );
    // Posts in the same campaigns, each using one file of its campaign and every third a second.
    await db.query(
      `INSERT INTO scheduled_posts (organisation_id, campaign_id, platform_id, content, created_by, updated_by)
       SELECT c.organisation_id, c.id, c.platform_id, 'Post ' || g, c.created_by, c.created_by
         FROM generate_series(1, $1::int) g
         JOIN LATERAL (SELECT * FROM campaigns ORDER BY id OFFSET (g % $2::int) LIMIT 1) c ON true`,
      [POSTS, CLIENTS],
    );
    await db.query(
      `WITH files AS (SELECT id, campaign_id, row_number() OVER (PARTITION BY campaign_id ORDER BY id) AS n FROM assets),
            totals AS (SELECT campaign_id, count(*) AS total FROM assets GROUP BY campaign_id),
            posts AS (SELECT id, organisation_id, campaign_id,
                             row_number() OVER (PARTITION BY campaign_id ORDER BY id) AS n FROM scheduled_posts)
       INSERT INTO post_assets (organisation_id, scheduled_post_id, asset_id, position)
       SELECT p.organisation_id, p.id, f.id, k
         FROM posts p
         JOIN totals t ON t.campaign_id = p.campaign_id
         CROSS JOIN generate_series(0, 1) k
         JOIN files f ON f.campaign_id = p.campaign_id AND f.n = 1 + ((p.n * 7 + k) % t.total)
        WHERE k = 0 OR p.n % 3 = 0`,
    );
    await db.query('ANALYZE assets; ANALYZE post_assets; ANALYZE scheduled_posts');
    const loadMs = performance.now() - t0;
    const uses = (await db.query('SELECT count(*)::int AS n FROM post_assets')).rows[0].n as number;
    await db.end();

    const time = async (path: string) => {
      const times: number[] = [];
      let items = 0;
      for (let i = 0; i < RUNS + 5; i++) {
        const t = performance.now();
        const res = await fetch(`${chorus.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        const body = (await res.json()) as { items?: unknown[] };
        items = body.items?.length ?? 1;
        if (i >= 5) times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      return { p50: percentile(times, 50), p95: percentile(times, 95), items };
    };
    const baseline = await time(`/campaigns/${campaigns[0]}`);
    const results: BenchResult[] = [
      {
        name: `load ${FILES.toLocaleString('en-US')} files, ${POSTS.toLocaleString('en-US')} posts, ${uses.toLocaleString('en-US')} uses`,
        value: loadMs / 1000,
        unit: 's',
      },
      { name: 'GET /campaigns/:id p50 (baseline: a one-row read)', value: baseline.p50, unit: 'ms' },
    ];
    for (const [label, path] of [
      ['library, newest 60', '/assets?order=newest&limit=60'],
      ["one client's files, newest 60", `/assets?clientId=${clientId}&order=newest&limit=60`],
      ['picker search "hero" in a client, 25', `/assets?clientId=${clientId}&q=hero&order=newest&limit=25`],
      ['videos, newest 60', '/assets?type=video&order=newest&limit=60'],
      ['posts of a campaign with their files, 50', `/posts?campaignId=${campaigns[0]}&limit=50`],
    ] as const) {
      const r = await time(path);
      results.push({
        name: `GET ${label} p50 (${r.items} answered)`,
        value: r.p50,
        unit: 'ms',
        baseline: { name: 'GET /campaigns/:id p50', value: baseline.p50 },
        ratio: r.p50 / baseline.p50,
      });
      results.push({ name: `GET ${label} p95`, value: r.p95, unit: 'ms', goal: 'p95 < 100 ms', met: r.p95 < 100 });
    }
    return results;
  } finally {
    await chorus.stop();
    // BENCH_KEEP=1 leaves the database for EXPLAIN ANALYZE; its URL is printed.
    if (process.env.BENCH_KEEP) console.error(`  kept ${scratch.url}`);
    else await scratch.drop();
  }
}
