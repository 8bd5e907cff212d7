import { CompiledQuery, createQueryId, type KyselyPlugin, type RootOperationNode, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, queryDb, type TestDatabase } from '../../../test/db.ts';
import { seedTenant, type Tenant } from '../../../test/fixtures.ts';
import { type Tx, withTenant } from '../../db/tenant.ts';
import { listPosts } from './service.ts';

// Keyset paging at size: with 10,000 posts in one organisation (and another organisation's
// posts beside them), a page of GET /posts — the first, the last, or a calendar month — is an
// index seek that reads about `limit` rows, not the organisation's whole set. The plans are
// those of the very statements listPosts runs, under row security as the app role.

const POSTS = 10_000;
let database: TestDatabase;
let big: Tenant;

async function grow(t: Tenant, n: number) {
  await withTenant(database.db, t.orgId, (tx) =>
    sql`INSERT INTO scheduled_posts (organisation_id, campaign_id, content, platform_id, scheduled_at)
        SELECT ${t.orgId}::uuid, ${t.campaignId}::uuid, 'Post ' || g,
               (SELECT platform_id FROM campaigns WHERE id = ${t.campaignId}::uuid),
               CASE WHEN g % 20 = 0 THEN NULL
                    ELSE timestamptz '2026-01-01' + g * interval '53 minutes' END
        FROM generate_series(1, ${n}) AS g`.execute(tx),
  );
}

beforeAll(async () => {
  database = await freshDatabase();
  big = await seedTenant(database.db, 'paging-big');
  await grow(big, POSTS - 1);
  const other = await seedTenant(database.db, 'paging-other');
  await grow(other, 3000);
  // Statistics, as autovacuum would gather them (as the owner: the app role may not ANALYZE).
  if (database.url) await queryDb(database.url, 'ANALYZE scheduled_posts');
  else {
    // PGlite's one connection runs as the app role after migrating: step out of it and back.
    for (const stmt of ['RESET ROLE', 'ANALYZE scheduled_posts', 'SET ROLE chorus_app']) {
      await sql.raw(stmt).execute(database.db);
    }
  }
}, 120_000);
afterAll(async () => {
  await database?.close();
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Runs listPosts and answers its page and the plan of its statement on scheduled_posts. */
async function planOf(q: Parameters<typeof listPosts>[1]) {
  return withTenant(database.db, big.orgId, async (tx) => {
    const nodes: RootOperationNode[] = [];
    const spy: KyselyPlugin = {
      transformQuery: ({ node }) => {
        nodes.push(node);
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    const page = await listPosts(tx.withPlugin(spy) as Tx, q);
    const main = nodes.find((n) => n.kind === 'SelectQueryNode' && JSON.stringify(n).includes('"sort_at"'))!;
    const c = tx.getExecutor().compileQuery(main, createQueryId());
    const r = await tx.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      CompiledQuery.raw(`EXPLAIN (ANALYZE, FORMAT JSON) ${c.sql}`, [...c.parameters]),
    );
    const plan = r.rows[0]!['QUERY PLAN'][0]!.Plan;
    return { page, scans: scans(plan) };
  });
}

/** Every scan of the plan with the rows it read (kept and filtered away). */
function scans(node: PlanNode): Array<{ type: string; index?: string; read: number }> {
  const own = /Scan/.test(node['Node Type'])
    ? [
        {
          type: node['Node Type'],
          index: node['Index Name'],
          read: (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'],
        },
      ]
    : [];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}

describe('post lists at 10,000 posts', () => {
  it('the first and the last page each read one page of rows through the sort index', async () => {
    const first = await planOf({ limit: 50 });
    expect(first.page.items).toHaveLength(50);
    expect(first.scans).toEqual([{ type: 'Index Scan', index: 'scheduled_posts_org_sort_idx', read: 51 }]);

    // Walk to the last page: every post once, in order, unscheduled ones last.
    let cursor: string | undefined;
    const seen: Array<{ id: string; scheduledAt: string | null }> = [];
    let last = first;
    do {
      last = await planOf({ limit: 200, cursor });
      seen.push(...last.page.items);
      cursor = last.page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(POSTS);
    expect(new Set(seen.map((p) => p.id)).size).toBe(POSTS);
    const times = seen.filter((p) => p.scheduledAt).map((p) => p.scheduledAt!);
    expect(times).toEqual([...times].sort());
    expect(seen.at(-1)!.scheduledAt).toBeNull();
    // The last page seeks to its cursor: it reads its own rows, not the 9,800 before them.
    expect(last.scans).toHaveLength(1);
    expect(last.scans[0]!.index).toBe('scheduled_posts_org_sort_idx');
    expect(last.scans[0]!.read).toBeLessThanOrEqual(201);
  });

  it("a calendar month reads only that month's posts through the sort index", async () => {
    const month = await planOf({ limit: 200, from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' });
    expect(month.page.items.length).toBeGreaterThan(0);
    for (const p of month.page.items)
      expect(p.scheduledAt! >= '2026-03-01' && p.scheduledAt! < '2026-04-01').toBe(true);
    // 31 days of a post every 53 minutes is about 840 rows (counted once per plan node that
    // reads them); the organisation holds 10,000, the table 13,000.
    const read = month.scans.reduce((n, s) => n + s.read, 0);
    expect(month.scans.every((s) => s.index === undefined || s.index === 'scheduled_posts_org_sort_idx')).toBe(true);
    expect(read).toBeLessThan(3500);
  });
});
