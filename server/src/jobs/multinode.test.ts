import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { seedTenant, type Tenant } from '../../test/fixtures.ts';
import { withSystem } from '../db/tenant.ts';
import { assignPending } from '../realtime/sequencer.ts';
import { schedulePosts, waitFor } from './testkit.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const hasPg = Boolean(process.env.DATABASE_URL);

let database: TestDatabase;
let tenant: Tenant;
const children: ChildProcess[] = [];

function startNode(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      REDIS_URL: '',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'chorus-node-')),
      // A slow network makes a wide window between "handed over" and "outcome stored".
      CHORUS_SANDBOX_LATENCY_MS: '3000',
      CHORUS_SANDBOX_FAILURE_RATE: '0',
      CHORUS_PUBLISH_POLL_MS: '100',
      CHORUS_PUBLISH_STUCK_MS: '4000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('Chorus is listening')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`node exited early (${code})`)));
  });
}

beforeAll(async () => {
  if (!hasPg) return;
  database = await freshDatabase();
  tenant = await seedTenant(database.db);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await database?.close();
});

describe('publishing across nodes', () => {
  it.runIf(hasPg)(
    'publishes every post exactly once with two server processes, one killed -9 mid-publish',
    async () => {
      const N = 60;
      const ids = await schedulePosts(database.db, tenant, N, { at: new Date(Date.now() + 2_000) });
      // Node A is killed while posts are with the network (handed over, outcome not stored);
      // node B, started right after, must settle them without publishing anything twice.
      const a = await startNode(database.url!);
      await waitFor(
        () =>
          withSystem(database.db, async (tx) => {
            const { rows } = await sql<{ n: number }>`
              SELECT count(*)::int AS n FROM sandbox_posts s JOIN scheduled_posts p ON p.id = s.scheduled_post_id
              WHERE p.status = 'publishing'`.execute(tx);
            return rows[0]!.n >= 10;
          }),
        20_000,
        'posts in flight',
      );
      a.kill('SIGKILL');
      await startNode(database.url!);
      await waitFor(
        async () => {
          const rows = await withSystem(database.db, (tx) =>
            tx.selectFrom('scheduled_posts').select('status').where('id', 'in', ids).execute(),
          );
          return rows.every((r) => r.status === 'published');
        },
        60_000,
        'all published',
      );
      await assignPending(database.db); // the survivor's last changes may still be in the outbox
      const report = await withSystem(database.db, async (tx) => {
        const net = await sql<{ post: string; posts: number; calls: number }>`
          SELECT scheduled_post_id AS post, count(*)::int AS posts, sum(calls)::int AS calls
          FROM sandbox_posts GROUP BY scheduled_post_id`.execute(tx);
        const feed = await sql<{ post: string; n: number }>`
          SELECT entity_id AS post, count(*)::int AS n FROM changes
          WHERE entity = 'post' AND data->>'status' = 'published' GROUP BY entity_id`.execute(tx);
        const taken = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM post_publishing WHERE attempts > 1`.execute(tx);
        const external = await sql<{ n: number }>`
          SELECT count(DISTINCT p.external_id)::int AS n FROM scheduled_posts p
          JOIN sandbox_posts s ON s.external_id = p.external_id AND s.scheduled_post_id = p.id`.execute(tx);
        return { net: net.rows, feed: feed.rows, taken: taken.rows[0]!.n, external: external.rows[0]!.n };
      });
      // One post on the network per post, one "published" change per post, and the stored
      // external id is the network's.
      expect(report.net).toHaveLength(N);
      expect(report.net.every((r) => r.posts === 1)).toBe(true);
      expect(report.feed).toHaveLength(N);
      expect(report.feed.every((r) => r.n === 1)).toBe(true);
      expect(report.external).toBe(N);
      // The kill did land mid-publish: the survivor took attempts over and re-sent them.
      expect(report.taken).toBeGreaterThan(0);
      expect(report.net.some((r) => r.calls >= 2)).toBe(true);
    },
    120_000,
  );
});
