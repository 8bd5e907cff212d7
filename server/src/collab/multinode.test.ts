import { type ChildProcess, spawn } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { seedTenant, type Tenant, withTenant } from '../../test/fixtures.ts';
import { withSystem } from '../db/tenant.ts';
import { decodeBatch } from './store.ts';
import { type Client, connectClient, synced, tokenFor, until } from './testkit.ts';

/**
 * Real server processes on one PostgreSQL database: two nodes joined by Redis, and a node
 * killed with SIGKILL mid-edit and started again.
 */

const PG = Boolean(process.env.DATABASE_URL);
const REDIS = Boolean(process.env.REDIS_URL);
const serverDir = new URL('../../', import.meta.url).pathname;

interface Proc {
  url: string;
  wsUrl: string;
  port: number;
  child: ChildProcess;
}

async function startProc(dbUrl: string, env: Record<string, string> = {}): Promise<Proc> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: dbUrl, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /"url":"(http:[^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  child.stdout!.resume();
  const port = Number(new URL(url).port);
  return { url, wsUrl: `ws://127.0.0.1:${port}/collab`, port, child };
}

async function stopProc(p: Proc | undefined, signal: NodeJS.Signals = 'SIGTERM') {
  if (!p || p.child.exitCode !== null || p.child.signalCode) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill(signal);
  await exited;
}

function isSubsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (const ch of hay) if (i < needle.length && ch === needle[i]) i++;
  return i === needle.length;
}

let h: TestDatabase;
let t: Tenant;
let token: string;
const clients: Client[] = [];

beforeAll(async () => {
  if (!PG) return;
  h = await freshDatabase();
  t = await seedTenant(h.db);
  token = await tokenFor(h, t.userId, t.orgId);
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await h?.close();
});

async function newPost(content: string) {
  return withTenant(h.db, t.orgId, async (tx) => {
    const c = await tx
      .selectFrom('campaigns')
      .select('platform_id')
      .where('id', '=', t.campaignId)
      .executeTakeFirstOrThrow();
    const row = await tx
      .insertInto('scheduled_posts')
      .values({ organisation_id: t.orgId, campaign_id: t.campaignId, platform_id: c.platform_id, content })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

const rowText = async (id: string) =>
  (
    await withTenant(h.db, t.orgId, (tx) =>
      tx.selectFrom('scheduled_posts').select('content').where('id', '=', id).executeTakeFirstOrThrow(),
    )
  ).content;

/** The document as PostgreSQL holds it: snapshot plus appended updates. */
async function storedDoc(name: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  await withSystem(h.db, async (tx) => {
    const d = await tx
      .selectFrom('collab_documents')
      .select(['id', 'snapshot'])
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    Y.applyUpdate(doc, new Uint8Array(d.snapshot));
    const rows = await tx
      .selectFrom('collab_updates')
      .select('data')
      .where('document_id', '=', d.id)
      .orderBy('seq')
      .execute();
    for (const r of rows) for (const u of decodeBatch(new Uint8Array(r.data))) Y.applyUpdate(doc, u);
  });
  return doc;
}

describe.runIf(PG && REDIS)('two nodes joined by Redis', () => {
  let n1: Proc | undefined;
  let n2: Proc | undefined;
  beforeAll(async () => {
    const env = { REDIS_URL: process.env.REDIS_URL! };
    [n1, n2] = await Promise.all([startProc(h.url!, env), startProc(h.url!, env)]);
  });
  afterAll(async () => {
    await Promise.all([stopProc(n1), stopProc(n2)]);
  });

  it('relays edits and cursors between editors on different nodes', async () => {
    const id = await newPost('shared');
    const a = connectClient(n1!.wsUrl, `post:${id}`, token);
    const b = connectClient(n2!.wsUrl, `post:${id}`, token);
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'A ');
    b.text.insert(b.text.length, ' B');
    a.provider.awareness.setLocalStateField('cursor', 'Ann');
    await until(() => a.text.toString() === 'A shared B' && b.text.toString() === 'A shared B');
    await until(() =>
      [...b.provider.awareness.getStates().values()].some(
        (s) => s.cursor === 'Ann' && typeof s.user?.name === 'string',
      ),
    );
    await until(async () => (await rowText(id)) === 'A shared B', 5_000, 'write-back');
  });

  it('property: random edits, disconnects and reconnects of three clients on two nodes converge, and so does the row', async () => {
    const action = fc.oneof(
      fc.record({
        kind: fc.constant('insert' as const),
        who: fc.integer({ min: 0, max: 2 }),
        at: fc.nat(),
        s: fc.string({ minLength: 1, maxLength: 4 }),
      }),
      fc.record({
        kind: fc.constant('delete' as const),
        who: fc.integer({ min: 0, max: 2 }),
        at: fc.nat(),
        n: fc.integer({ min: 1, max: 3 }),
      }),
      fc.record({ kind: fc.constant('toggle' as const), who: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 30 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 30 }), async (actions) => {
        const id = await newPost('seed');
        const name = `post:${id}`;
        const nodes = [n1!, n2!, n1!];
        const cs = nodes.map((n) => connectClient(n.wsUrl, name, token));
        try {
          await Promise.all(cs.map((c) => synced(c)));
          const online = [true, true, true];
          for (const a of actions) {
            if (a.kind === 'pause') await new Promise((r) => setTimeout(r, a.ms));
            else if (a.kind === 'toggle') {
              if (online[a.who]) cs[a.who]!.provider.disconnect();
              else cs[a.who]!.provider.connect();
              online[a.who] = !online[a.who];
            } else {
              const text = cs[a.who]!.text;
              if (a.kind === 'insert') text.insert(a.at % (text.length + 1), a.s);
              else if (text.length > 0) {
                const at = a.at % text.length;
                text.delete(at, Math.min(a.n, text.length - at));
              }
            }
          }
          cs.forEach((c, i) => {
            if (!online[i]) c.provider.connect();
          });
          await until(
            () => cs.every((c) => c.provider.synced) && new Set(cs.map((c) => c.text.toString())).size === 1,
            10_000,
            'clients converge',
          );
          // Let the last relays land, then the text must agree everywhere, the row included.
          await new Promise((r) => setTimeout(r, 200));
          const final = cs[0]!.text.toString();
          expect(cs.map((c) => c.text.toString())).toEqual([final, final, final]);
          await until(async () => (await rowText(id)) === final, 8_000, 'row text');
          await until(async () => (await storedDoc(name)).getText('content').toString() === final, 5_000, 'stored doc');
        } finally {
          for (const c of cs) c.destroy();
        }
      }),
      { numRuns: 8, interruptAfterTimeLimit: 120_000 },
    );
  }, 180_000);
});

describe.runIf(PG)('a node killed mid-edit', () => {
  it('keeps every stored update, and open clients re-sync the rest after a restart', async () => {
    let p = await startProc(h.url!);
    const id = await newPost('');
    const name = `post:${id}`;
    const a = connectClient(p.wsUrl, name, token);
    const b = connectClient(p.wsUrl, name, token);
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    let n = 0;
    let typing = true;
    const typist = (async () => {
      while (typing) {
        const c = n % 2 ? a : b;
        c.text.insert(c.text.length, String.fromCharCode(97 + (n % 26)));
        n++;
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    // Wait for stored edits rather than a fixed time: a busy machine types slower.
    await until(async () => (await storedDoc(name)).getText('content').length > 20, 15_000, 'edits stored');
    const before = await storedDoc(name);
    const storedBefore = before.getText('content').toString();
    expect(storedBefore.length).toBeGreaterThan(20);
    await stopProc(p, 'SIGKILL');
    typing = false;
    await typist;
    // Everything stored before the kill is still there.
    const after = await storedDoc(name);
    const svAfter = Y.decodeStateVector(Y.encodeStateVector(after));
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(before))) {
      expect(svAfter.get(client) ?? 0).toBeGreaterThanOrEqual(clock);
    }
    // Concurrent typists' later updates may land between stored characters, never reorder them.
    expect(isSubsequence(storedBefore, after.getText('content').toString())).toBe(true);
    // Same port again: the clients' providers reconnect by themselves and send what was lost.
    p = await startProc(h.url!, { PORT: String(p.port) });
    try {
      // Edits typed while the node was down exist only in the clients until they re-sync.
      await until(
        () => a.provider.synced && b.provider.synced && a.text.toString() === b.text.toString(),
        40_000,
        'clients',
      );
      const expected = a.text.toString();
      expect(expected.length).toBe(n);
      await until(async () => (await storedDoc(name)).getText('content').toString() === expected, 30_000, 're-sync');
      await until(async () => (await rowText(id)) === expected, 5_000, 'row text');
      const fresh = connectClient(p.wsUrl, name, token);
      clients.push(fresh);
      await synced(fresh);
      expect(fresh.text.toString()).toBe(expected);
    } finally {
      await stopProc(p);
    }
  }, 150_000);
});
