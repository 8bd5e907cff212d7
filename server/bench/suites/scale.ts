import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { ChangeEvent } from '@chorus/shared/events';
import { sql } from 'kysely';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { openDatabase } from '../../src/db/connect.ts';
import { withTenant } from '../../src/db/tenant.ts';
import { changeEvents, recordChange, recordChanges } from '../../src/realtime/changes.ts';
import { Sequencer } from '../../src/realtime/sequencer.ts';
import { percentile, scratchDatabase, startNode } from '../lib/processes.ts';
import type { BenchResult } from '../types.ts';

// Cost that follows the view, not the history. One organisation grown to 10,000 posts and
// 50,000 changes, and a small one (100 posts, 500 changes) measured the same way in the same
// run: time to a visible calendar in Chromium, bytes a fresh tab receives, list page latency at
// the first and the last page, and commit→delivery p99 to 50 live sockets, quiet and while 5
// clients catch up. Each figure of the large organisation is given as a ratio to the small one's.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LARGE = { posts: 10_000, changes: 50_000 };
const SMALL = { posts: 100, changes: 500 };
const LIVE_SOCKETS = 50;
const CATCHERS = 5;
/** How far behind each catching-up client resumes: just inside the default catch-up limit (10,000). */
const CATCH_BEHIND = 9_000;
const SAMPLES = 40;
const CALENDAR_RUNS = 3;
const PAGE = 50;
const webDir = new URL('../../../web/', import.meta.url).pathname;

interface Org {
  label: string;
  token: string;
  organisationId: string;
  userId: string;
  postIds: string[];
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

export async function run(): Promise<BenchResult[]> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.error('  scale needs DATABASE_URL (a PostgreSQL server): skipped');
    return [];
  }
  // The calendar is measured on the client as built from this checkout.
  execFileSync('pnpm', ['exec', 'vite', 'build', '--logLevel', 'error'], { cwd: webDir, stdio: 'inherit' });
  const scratch = await scratchDatabase(base);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = await startNode('src/main.ts', {
    DATABASE_URL: scratch.url,
    PORT: String(port),
    PUBLIC_ORIGIN: origin,
  });
  const database = await openDatabase({ databaseUrl: scratch.url, poolSize: 8 });
  // This process writes like a second node: its own sequencer numbers its commits at once.
  const sequencer = new Sequencer(
    database.db,
    () => {},
    (err) => console.error('  bench sequencer failed', err),
  );
  const kick = () => sequencer.kick();
  changeEvents.on('committed', kick);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const sockets: Socket[] = [];
  const api = (org: Org, path: string) =>
    fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${org.token}` } });
  const head = async (org: Org) => Number((await api(org, '/me')).headers.get('x-chorus-seq'));

  async function grow(label: string, size: { posts: number; changes: number }): Promise<Org> {
    const reg = (await (
      await fetch(`${server.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          organisationName: `Bench ${label}`,
          name: 'Bench',
          email: `scale-${label.toLowerCase()}@example.com`,
          password: 'benchmark password',
        }),
      })
    ).json()) as { token: string; organisation: { id: string }; user: { id: string } };
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${reg.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: string }>);
    const client = await post('/clients', { name: `${label} client` });
    const year = new Date().getUTCFullYear();
    const campaign = await post('/campaigns', {
      clientId: client.id,
      name: `${label} campaign`,
      platform: 'mastodon',
      startDate: `${year - 1}-01-01`,
      endDate: `${year + 1}-12-31`,
    });
    const org = reg.organisation.id;
    // Posts spread evenly over the year around today (about 830 a month for the large one),
    // one in twenty unscheduled.
    const postIds = await withTenant(database.db, org, async (tx) => {
      const rows = await sql<{ id: string }>`
        INSERT INTO scheduled_posts (organisation_id, campaign_id, content, platform_id, status, scheduled_at)
        SELECT ${org}::uuid, ${campaign.id}::uuid,
               'Post ' || g || ': fresh bread, fresh ideas, and a few more words to make it a post',
               (SELECT id FROM reference_data WHERE category = 'platform' AND code = 'mastodon'),
               'draft',
               CASE WHEN g % 20 = 0 THEN NULL
                    ELSE date_trunc('month', now()) - interval '6 months' + g * (interval '365 days' / ${size.posts}) END
        FROM generate_series(1, ${size.posts}) AS g
        RETURNING id`.execute(tx);
      return rows.rows.map((r) => r.id);
    });
    // History: post updates shaped like the real ones (the post as GET answers it).
    const before = Number(
      (await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${reg.token}` } })).headers.get(
        'x-chorus-seq',
      ),
    );
    for (let done = 0; done < size.changes; done += 2000) {
      await withTenant(database.db, org, (tx) =>
        recordChanges(
          tx,
          Array.from({ length: Math.min(2000, size.changes - done) }, (_, i) => {
            const id = postIds[(done + i) % postIds.length]!;
            return {
              organisationId: org,
              entity: 'post' as const,
              op: 'update' as const,
              id,
              data: {
                id,
                campaignId: campaign.id,
                content: `Post edit ${done + i}: fresh bread, fresh ideas, and a few more words`,
                platform: 'mastodon',
                status: 'draft',
                scheduledAt: new Date().toISOString(),
                version: done + i,
                assetIds: [],
              },
              actorId: reg.user.id,
            };
          }),
        ),
      );
    }
    const o: Org = { label, token: reg.token, organisationId: org, userId: reg.user.id, postIds };
    for (let i = 0; i < 600 && (await head(o)) < before + size.changes; i++)
      await new Promise((r) => setTimeout(r, 50));
    // Statistics as autovacuum would gather them, as the owner (the app role may not).
    const owner = new pg.Client({ connectionString: scratch.url });
    await owner.connect();
    await owner.query('VACUUM ANALYZE');
    await owner.end();
    return o;
  }

  /** Fresh tabs opening the calendar: time until its first post chip shows, and bytes received. */
  async function calendar(org: Org) {
    const times: number[] = [];
    const bytes: number[] = [];
    const frames: number[] = [];
    const chips: number[] = [];
    for (let i = 0; i < CALENDAR_RUNS; i++) {
      const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ name: 'chorus_session', value: org.token, url: server.url }]);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      let received = 0;
      let changeFrames = 0;
      cdp.on('Network.loadingFinished', (e) => {
        received += e.encodedDataLength;
      });
      cdp.on('Network.webSocketFrameReceived', (e) => {
        received += e.response.payloadData.length;
        if (e.response.payloadData.startsWith('42["change"')) changeFrames++;
      });
      const t0 = performance.now();
      await page.goto('/calendar');
      await page.locator('[data-testid=calendar] [data-post]').first().waitFor({ timeout: 60_000 });
      times.push(performance.now() - t0);
      // What else a fresh tab is sent once the calendar shows (a history replay would land here).
      await page.waitForTimeout(1500);
      bytes.push(received);
      frames.push(changeFrames);
      chips.push(await page.locator('[data-testid=calendar] [data-post]').count());
      await context.close();
    }
    return { ms: median(times), bytes: median(bytes), frames: Math.max(...frames), chips: median(chips) };
  }

  /** GET /posts first page and last page (the cursor a full walk ends on), median of 20 each. */
  async function lists(org: Org) {
    let cursor: string | null = null;
    let last: string | null = null;
    const w0 = performance.now();
    do {
      last = cursor;
      const r = (await (await api(org, `/posts?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
        nextCursor: string | null;
      };
      cursor = r.nextCursor;
    } while (cursor);
    const walk = performance.now() - w0;
    const time = async (path: string) => {
      const xs: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        await (await api(org, path)).arrayBuffer();
        xs.push(performance.now() - t);
      }
      return median(xs);
    };
    const first = await time(`/posts?limit=${PAGE}`);
    const lastPage = await time(`/posts?limit=${PAGE}${last ? `&cursor=${last}` : ''}`);
    // What PostgreSQL reads for the last page (the same statement the service runs).
    const key = last ? (JSON.parse(Buffer.from(last, 'base64url').toString()) as [string, string]) : null;
    const plan = await withTenant(database.db, org.organisationId, async (tx) => {
      const r = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
        SELECT * FROM scheduled_posts
        WHERE organisation_id = app_organisation_id()
          ${key ? sql`AND (sort_at, id) > (${key[0]}::timestamptz, ${key[1]}::uuid)` : sql``}
        ORDER BY sort_at, id LIMIT ${PAGE + 1}`.execute(tx);
      return r.rows[0]!['QUERY PLAN'] as Array<{ Plan: PlanNode }>;
    });
    const scan = findScan(plan[0]!.Plan);
    return { first, last: lastPage, walk, scan };
  }

  /** Commit→delivery to live sockets of the organisation, optionally while clients catch up. */
  async function live(org: Org, catching: boolean) {
    const group = await connect(org, LIVE_SOCKETS, undefined);
    let marker = 0;
    const commitAt = new Map<number, number>();
    const seen: Array<[number, number]> = [];
    for (const s of group)
      s.on('change', (c: ChangeEvent) => {
        const k = (c.data as { k?: number })?.k;
        if (k !== undefined) seen.push([k, performance.now()]);
      });
    const change = async () => {
      const k = ++marker;
      await withTenant(database.db, org.organisationId, (tx) =>
        recordChange(tx, {
          organisationId: org.organisationId,
          entity: 'note',
          op: 'update',
          id: org.userId,
          data: { k },
          actorId: null,
        }),
      );
      commitAt.set(k, performance.now());
    };
    // Clients catching up all the while, on a thread of their own (bench/lib/catchers.ts).
    let worker: Worker | undefined;
    let finished: Promise<number> | undefined;
    if (catching) {
      worker = new Worker(new URL('../lib/catchers.ts', import.meta.url), {
        workerData: { url: server.url, token: org.token, clients: CATCHERS, behind: CATCH_BEHIND },
      });
      const w = worker;
      await new Promise<void>((r) => w.once('message', () => r()));
      finished = new Promise<number>((r) =>
        w.on('message', (m: { caughtUp?: number }) => {
          if (m.caughtUp !== undefined) r(m.caughtUp);
        }),
      );
      await new Promise((r) => setTimeout(r, 500));
    }
    for (let i = 0; i < 5; i++) {
      await change();
      await new Promise((r) => setTimeout(r, 60));
    }
    const sent0 = marker;
    for (let i = 0; i < SAMPLES; i++) {
      await change();
      await new Promise((r) => setTimeout(r, 60));
    }
    await new Promise((r) => setTimeout(r, 1000));
    worker?.postMessage('stop');
    const caughtUp = finished ? await finished : 0;
    await worker?.terminate();
    for (const s of group) s.disconnect();
    const lat = seen
      .filter(([k]) => k > sent0)
      .map(([k, at]) => at - commitAt.get(k)!)
      .sort((a, b) => a - b);
    return {
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      lost: (marker - sent0) * group.length - lat.length,
      caughtUp,
    };
  }

  async function connect(org: Org, n: number, lastSeq: number | undefined): Promise<Socket[]> {
    const group = Array.from({ length: n }, () =>
      io(server.url, {
        auth: lastSeq === undefined ? { token: org.token } : { token: org.token, lastSeq },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      }),
    );
    await Promise.all(
      group.map(
        (s) =>
          new Promise<void>((r, j) => {
            s.once('connect', () => r());
            s.once('connect_error', j);
          }),
      ),
    );
    sockets.push(...group);
    return group;
  }

  try {
    const small = await grow('Small', SMALL);
    const t0 = performance.now();
    const large = await grow('Large', LARGE);
    process.stderr.write(`  grew the large organisation in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const cal = { small: await calendar(small), large: await calendar(large) };
    const list = { small: await lists(small), large: await lists(large) };
    const quiet = { small: await live(small, false), large: await live(large, false) };
    const busy = await live(large, true);
    const ratio = (a: number, b: number) => a / b;
    return [
      {
        name: `time to a visible calendar, ${LARGE.posts} posts / ${LARGE.changes} changes`,
        value: cal.large.ms,
        unit: 'ms',
        baseline: { name: `${SMALL.posts} posts / ${SMALL.changes} changes`, value: cal.small.ms },
        ratio: ratio(cal.large.ms, cal.small.ms),
        goal: 'follows the view, not the history',
      },
      {
        name: 'bytes received by a fresh calendar tab (HTTP + websocket)',
        value: cal.large.bytes,
        unit: 'B',
        baseline: { name: 'small organisation', value: cal.small.bytes },
        ratio: ratio(cal.large.bytes, cal.small.bytes),
      },
      {
        name: 'change frames replayed to a fresh tab (large)',
        value: cal.large.frames,
        unit: 'frames',
        goal: '0',
        met: cal.large.frames === 0,
      },
      {
        name: 'post chips rendered in the month (large)',
        value: cal.large.chips,
        unit: 'chips',
        baseline: { name: 'small', value: cal.small.chips },
      },
      {
        name: `GET /posts first page (limit ${PAGE})`,
        value: list.large.first,
        unit: 'ms',
        baseline: { name: 'small organisation', value: list.small.first },
        ratio: ratio(list.large.first, list.small.first),
      },
      {
        name: `GET /posts last page (limit ${PAGE})`,
        value: list.large.last,
        unit: 'ms',
        baseline: { name: 'small organisation', value: list.small.last },
        ratio: ratio(list.large.last, list.small.last),
      },
      {
        name: `rows the last page's index scan reads (${list.large.scan.node} on ${list.large.scan.index})`,
        value: list.large.scan.rows,
        unit: 'rows',
        baseline: { name: 'small organisation', value: list.small.scan.rows },
        goal: `≤ ${PAGE + 1}`,
        met: list.large.scan.rows <= PAGE + 1,
      },
      {
        name: 'full walk of GET /posts, per post',
        value: (list.large.walk / LARGE.posts) * 1000,
        unit: 'µs',
        baseline: { name: 'small organisation', value: (list.small.walk / SMALL.posts) * 1000 },
        ratio: list.large.walk / LARGE.posts / (list.small.walk / SMALL.posts),
      },
      {
        name: `commit→delivery p99, ${LIVE_SOCKETS} sockets, quiet`,
        value: quiet.large.p99,
        unit: 'ms',
        baseline: { name: 'small organisation, quiet', value: quiet.small.p99 },
        ratio: ratio(quiet.large.p99, quiet.small.p99),
      },
      {
        name: `commit→delivery p99, ${LIVE_SOCKETS} sockets, ${CATCHERS} clients catching up`,
        value: busy.p99,
        unit: 'ms',
        baseline: { name: 'small organisation, quiet', value: quiet.small.p99 },
        ratio: ratio(busy.p99, quiet.small.p99),
        goal: 'within a few times quiet',
      },
      {
        name: 'the same against the large organisation quiet',
        value: busy.p99,
        unit: 'ms',
        baseline: { name: 'large organisation, quiet', value: quiet.large.p99 },
        ratio: ratio(busy.p99, quiet.large.p99),
      },
      { name: 'changes replayed to catching-up clients meanwhile', value: busy.caughtUp, unit: 'changes' },
      {
        name: 'live changes lost',
        value: quiet.small.lost + quiet.large.lost + busy.lost,
        unit: 'changes',
        goal: '0',
        met: quiet.small.lost + quiet.large.lost + busy.lost === 0,
      },
    ];
  } finally {
    changeEvents.off('committed', kick);
    for (const s of sockets) s.disconnect();
    await browser.close();
    await sequencer.stop();
    await database.close();
    await server.stop();
    await scratch.drop();
  }
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** The plan's scans of scheduled_posts: their kinds and indexes, and the most rows one read. */
function findScan(node: PlanNode): { node: string; index: string; rows: number } {
  const all: PlanNode[] = [];
  const walk = (n: PlanNode) => {
    if (/Scan/.test(n['Node Type'])) all.push(n);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(node);
  return {
    node: all.map((n) => n['Node Type']).join(' + '),
    index:
      all
        .map((n) => n['Index Name'])
        .filter(Boolean)
        .join(', ') || '-',
    rows: Math.max(...all.map((n) => (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0)) * n['Actual Loops'])),
  };
}
