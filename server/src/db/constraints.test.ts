import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { refId, seedTenant, type Tenant, withTenant } from '../../test/fixtures.ts';
import type { Tx } from './tenant.ts';

// Every rule docs/api-rules.md says the database enforces, broken once each. Each attempt runs in its
// own transaction so one rejection cannot mask the next.
let h: TestDatabase;
let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  h = await freshDatabase();
  a = await seedTenant(h.db, 'a');
  b = await seedTenant(h.db, 'b');
});
afterAll(() => h.close());

async function rejects(orgId: string, fn: (tx: Tx) => Promise<unknown>, code: string) {
  const err = await withTenant(h.db, orgId, fn).then(
    () => undefined,
    (e: unknown) => e as { code?: string },
  );
  expect(err, 'the database accepted a row it should refuse').toBeDefined();
  expect(err?.code).toBe(code);
}

const UNIQUE = '23505';
const FK = '23503';
const CHECK = '23514';

describe('database constraints', () => {
  it('keeps user e-mail unique platform-wide, case-insensitively', async () => {
    await rejects(
      b.orgId,
      async (tx) =>
        tx
          .insertInto('users')
          .values({
            organisation_id: b.orgId,
            email: 'OWNER-A@Example.com',
            name: 'Copy',
            password_hash: 'x',
            role_id: await refId(tx, 'user_role', 'viewer'),
          })
          .execute(),
      UNIQUE,
    );
  });

  it('keeps campaign names unique per client', async () => {
    await rejects(
      a.orgId,
      async (tx) =>
        tx
          .insertInto('campaigns')
          .values({
            organisation_id: a.orgId,
            client_id: a.clientId,
            name: 'CAMPAIGN a',
            platform_id: await refId(tx, 'platform', 'x'),
            start_date: '2026-01-01',
            end_date: '2026-01-02',
          })
          .execute(),
      UNIQUE,
    );
  });

  it('allows the same campaign name under another client', async () => {
    await withTenant(h.db, a.orgId, async (tx) => {
      const other = await tx
        .insertInto('clients')
        .values({ organisation_id: a.orgId, name: 'Other client' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('campaigns')
        .values({
          organisation_id: a.orgId,
          client_id: other.id,
          name: 'Campaign a',
          platform_id: await refId(tx, 'platform', 'x'),
          start_date: '2026-01-01',
          end_date: '2026-01-02',
        })
        .execute();
    });
  });

  it('keeps client names unique per organisation', async () => {
    await rejects(
      a.orgId,
      (tx) => tx.insertInto('clients').values({ organisation_id: a.orgId, name: 'client A' }).execute(),
      UNIQUE,
    );
  });

  it('links a note to exactly one of campaign or post', async () => {
    const base = { organisation_id: a.orgId, author_id: a.userId, body: 'x' };
    await rejects(a.orgId, (tx) => tx.insertInto('notes').values(base).execute(), CHECK);
    await rejects(
      a.orgId,
      (tx) =>
        tx
          .insertInto('notes')
          .values({ ...base, campaign_id: a.campaignId, scheduled_post_id: a.postId })
          .execute(),
      CHECK,
    );
  });

  it('makes a reply keep its parent target', async () => {
    const parent = await withTenant(h.db, a.orgId, (tx) =>
      tx
        .insertInto('notes')
        .values({ organisation_id: a.orgId, author_id: a.userId, body: 'top', campaign_id: a.campaignId })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    await rejects(
      a.orgId,
      (tx) =>
        tx
          .insertInto('notes')
          .values({
            organisation_id: a.orgId,
            author_id: a.userId,
            body: 'reply',
            scheduled_post_id: a.postId,
            parent_id: parent.id,
          })
          .execute(),
      FK,
    );
    // The same reply on the parent's own target is fine.
    await withTenant(h.db, a.orgId, (tx) =>
      tx
        .insertInto('notes')
        .values({
          organisation_id: a.orgId,
          author_id: a.userId,
          body: 'reply',
          campaign_id: a.campaignId,
          parent_id: parent.id,
        })
        .execute(),
    );
  });

  it('links an asset to exactly one of campaign or post', async () => {
    const base = {
      organisation_id: a.orgId,
      file_name: 'a.png',
      media_type: 'image/png',
      size_bytes: 1,
      sha256: '0'.repeat(64),
    };
    await rejects(
      a.orgId,
      (tx) =>
        tx
          .insertInto('assets')
          .values({ ...base, storage_key: randomUUID() })
          .execute(),
      CHECK,
    );
    await rejects(
      a.orgId,
      (tx) =>
        tx
          .insertInto('assets')
          .values({ ...base, storage_key: randomUUID(), campaign_id: a.campaignId, scheduled_post_id: a.postId })
          .execute(),
      CHECK,
    );
  });

  it('makes a reference-data link point at a row of the right category', async () => {
    // [table, column, row, a code of the wrong category]
    const wrong = [
      ['users', 'role_id', a.userId, 'platform', 'x'],
      ['campaigns', 'platform_id', a.campaignId, 'user_role', 'owner'],
      ['organisations', 'industry_id', a.orgId, 'subscription_tier', 'free'],
      ['organisations', 'subscription_tier_id', a.orgId, 'industry', 'retail'],
      ['scheduled_posts', 'platform_id', a.postId, 'industry', 'retail'],
    ] as const;
    for (const [table, column, id, category, code] of wrong) {
      await rejects(
        a.orgId,
        async (tx) =>
          tx
            .updateTable(table)
            .set({ [column]: await refId(tx, category, code) } as never)
            .where('id', '=', id)
            .execute(),
        FK,
      );
    }
  });

  it('refuses negative budgets and metric counts', async () => {
    await rejects(
      a.orgId,
      (tx) =>
        tx
          .updateTable('campaigns')
          .set({ budget_amount: '-1', budget_currency: 'EUR' })
          .where('id', '=', a.campaignId)
          .execute(),
      CHECK,
    );
    for (const field of ['likes', 'shares', 'comments', 'impressions'] as const) {
      await rejects(
        a.orgId,
        (tx) =>
          tx
            .insertInto('post_metrics')
            .values({
              organisation_id: a.orgId,
              scheduled_post_id: a.postId,
              captured_at: new Date(),
              likes: 0,
              shares: 0,
              comments: 0,
              impressions: 0,
              [field]: -1,
            })
            .execute(),
        CHECK,
      );
    }
  });

  it('refuses an end date before the start date', async () => {
    await rejects(
      a.orgId,
      (tx) =>
        tx
          .updateTable('campaigns')
          .set({ start_date: '2026-03-01', end_date: '2026-02-28' })
          .where('id', '=', a.campaignId)
          .execute(),
      CHECK,
    );
  });

  it('keeps one metrics snapshot per post and capture time', async () => {
    const at = new Date('2026-01-05T10:00:00Z');
    const row = {
      organisation_id: a.orgId,
      scheduled_post_id: a.postId,
      captured_at: at,
      likes: 1,
      shares: 1,
      comments: 1,
      impressions: 1,
    };
    await withTenant(h.db, a.orgId, (tx) => tx.insertInto('post_metrics').values(row).execute());
    await rejects(a.orgId, (tx) => tx.insertInto('post_metrics').values(row).execute(), UNIQUE);
  });

  it('refuses a child that points at another organisation’s parent', async () => {
    // Written as the system so RLS is out of the way: the composite foreign key alone must refuse it.
    const err = await h.db
      .transaction()
      .execute(async (tx) => {
        await sql`SELECT set_config('app.system', 'on', true)`.execute(tx);
        await tx
          .insertInto('campaigns')
          .values({
            organisation_id: a.orgId,
            client_id: b.clientId,
            name: 'Cross',
            platform_id: await refId(tx, 'platform', 'x'),
            start_date: '2026-01-01',
            end_date: '2026-01-02',
          })
          .execute();
      })
      .catch((e: { code?: string }) => e);
    expect((err as { code?: string })?.code).toBe(FK);
  });

  it('refuses an unknown post status', async () => {
    await rejects(
      a.orgId,
      (tx) => tx.updateTable('scheduled_posts').set({ status: 'lost' }).where('id', '=', a.postId).execute(),
      CHECK,
    );
  });

  it('keeps updated_at and version in the database', async () => {
    const before = await withTenant(h.db, a.orgId, (tx) =>
      tx.selectFrom('clients').select(['version', 'updated_at']).where('id', '=', a.clientId).executeTakeFirstOrThrow(),
    );
    await new Promise((r) => setTimeout(r, 5));
    const after = await withTenant(h.db, a.orgId, (tx) =>
      tx
        .updateTable('clients')
        .set({ contact_name: 'Ada', version: 1 })
        .where('id', '=', a.clientId)
        .returning(['version', 'updated_at'])
        .executeTakeFirstOrThrow(),
    );
    expect(after.version).toBe(before.version + 1);
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  });
});
