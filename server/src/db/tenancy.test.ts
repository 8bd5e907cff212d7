import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { seedTenant, type Tenant, withSystem, withTenant } from '../../test/fixtures.ts';
import { openDatabase } from './connect.ts';
import { listMigrations } from './migrate.ts';

let h: TestDatabase;
let a: Tenant;
let b: Tenant;
const TENANT_TABLES = [
  'organisations',
  'users',
  'sessions',
  'clients',
  'campaigns',
  'scheduled_posts',
  'post_metrics',
  'assets',
  'notes',
  'notifications',
  'mail_outbox',
  'auth_tokens',
  'post_editors',
  'post_versions',
] as const;

beforeAll(async () => {
  h = await freshDatabase();
  a = await seedTenant(h.db, 'a');
  b = await seedTenant(h.db, 'b');
});
afterAll(() => h.close());

describe('row-level security', () => {
  it('shows no tenant rows without a tenant context', async () => {
    for (const table of TENANT_TABLES) {
      const rows = await h.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
      expect(rows.n, table).toBe(0);
    }
    // Reference data is platform-wide and stays readable.
    const ref = await h.db
      .selectFrom('reference_data')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(ref.n).toBe(32);
  });

  it("hides organisation B's rows inside A's context", async () => {
    await withTenant(h.db, a.orgId, async (tx) => {
      for (const [table, id] of [
        ['organisations', b.orgId],
        ['users', b.userId],
        ['clients', b.clientId],
        ['campaigns', b.campaignId],
        ['scheduled_posts', b.postId],
      ] as const) {
        const found = await tx.selectFrom(table).select('id').where('id', '=', id).execute();
        expect(found, table).toEqual([]);
      }
      const mine = await tx.selectFrom('clients').select('organisation_id').execute();
      expect(mine.every((r) => r.organisation_id === a.orgId)).toBe(true);
      expect(mine.length).toBeGreaterThan(0);
    });
  });

  it("refuses writes into B's rows from A's context", async () => {
    // Updates and deletes of invisible rows touch nothing.
    const updated = await withTenant(h.db, a.orgId, (tx) =>
      tx.updateTable('clients').set({ name: 'Hijacked' }).where('id', '=', b.clientId).executeTakeFirst(),
    );
    expect(updated.numUpdatedRows).toBe(0n);
    const deleted = await withTenant(h.db, a.orgId, (tx) =>
      tx.deleteFrom('campaigns').where('id', '=', b.campaignId).executeTakeFirst(),
    );
    expect(deleted.numDeletedRows).toBe(0n);
    // An insert claiming B's organisation fails the policy's WITH CHECK.
    const err = await withTenant(h.db, a.orgId, (tx) =>
      tx.insertInto('clients').values({ organisation_id: b.orgId, name: 'Planted' }).execute(),
    ).catch((e: { code?: string }) => e);
    expect((err as { code?: string }).code).toBe('42501');
    // And B's data is untouched.
    const still = await withTenant(h.db, b.orgId, (tx) =>
      tx.selectFrom('clients').select('name').where('id', '=', b.clientId).executeTakeFirstOrThrow(),
    );
    expect(still.name).toBe('Client b');
  });

  it('lets the system context see every organisation', async () => {
    const n = await withSystem(h.db, (tx) => tx.selectFrom('organisations').select('id').execute());
    expect(n.map((r) => r.id)).toEqual(expect.arrayContaining([a.orgId, b.orgId]));
  });

  it('the app role owns nothing, so RLS cannot be bypassed by ownership', async () => {
    const row = await sql<{ role: string; super: boolean; bypass: boolean }>`
      SELECT current_user AS role, rolsuper AS super, rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user
    `.execute(h.db);
    expect(row.rows[0]).toEqual({ role: 'chorus_app', super: false, bypass: false });
    const owned = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user
    `.execute(h.db);
    expect(owned.rows[0]?.n).toBe(0);
  });

  it('every table with organisation_id has forced row-level security (catalog check)', async () => {
    const rows = await sql<{ table: string; enabled: boolean; forced: boolean; policies: number }>`
      SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
             (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'organisation_id' AND NOT a.attisdropped)
      ORDER BY 1
    `.execute(h.db);
    expect(rows.rows.length).toBeGreaterThanOrEqual(8);
    const weak = rows.rows.filter((r) => !r.enabled || !r.forced || r.policies === 0).map((r) => r.table);
    expect(weak).toEqual([]);
  });
});

describe('migrations', () => {
  it('apply from empty on PGlite, and a second run applies nothing', async () => {
    const db = await openDatabase({ memory: true });
    try {
      expect(await db.migrate()).toEqual(await listMigrations());
      expect(await db.migrate()).toEqual([]);
    } finally {
      await db.close();
    }
    // Every migration in WASM PostgreSQL: seconds on a quiet machine, far more beside other suites.
  }, 120_000);

  it.runIf(Boolean(process.env.DATABASE_URL))(
    'apply from empty on PostgreSQL, and the generated types match the catalog',
    async () => {
      // freshDatabase() cloned a migrated template; prove the files also run on a truly empty one.
      const { adminQuery } = await import('../../test/db.ts');
      const base = process.env.DATABASE_URL!;
      const name = `chorus_test_empty_${Date.now()}`;
      await adminQuery(base, `CREATE DATABASE ${name}`);
      const u = new URL(base);
      u.pathname = `/${name}`;
      const db = await openDatabase({ databaseUrl: u.toString() });
      try {
        expect(await db.migrate()).toEqual(await listMigrations());
        expect(await db.migrate()).toEqual([]);
        // kysely-codegen --verify fails when src/db/schema.ts differs from what the catalog generates.
        const run = promisify(execFile);
        const { stdout, stderr } = await run('pnpm', ['run', '--silent', 'db:types', '--verify'], {
          cwd: new URL('../..', import.meta.url).pathname,
          env: { ...process.env, DATABASE_URL: u.toString() },
        });
        expect(`${stdout}${stderr}`).toMatch(/up.to.date/i);
      } finally {
        await db.close();
        await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    },
  );
});
