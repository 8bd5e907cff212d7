import { type ChildProcess, spawn } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { seedTenant, type Tenant, withTenant } from '../../../test/fixtures.ts';
import { type Client, connectClient, synced, tokenFor, until } from '../../collab/testkit.ts';

/**
 * Property: a note anchored to a word keeps pointing at exactly that word while two editors on
 * two server processes (joined by Redis) edit the text around it concurrently — in both
 * editors' documents and in the API's anchorText, which the server resolves from the stored
 * document.
 */

const PG = Boolean(process.env.DATABASE_URL);
const REDIS = Boolean(process.env.REDIS_URL);
const serverDir = new URL('../../../', import.meta.url).pathname;

interface Proc {
  url: string;
  wsUrl: string;
  child: ChildProcess;
}

async function startProc(dbUrl: string): Promise<Proc> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: dbUrl, REDIS_URL: process.env.REDIS_URL },
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
  return { url, wsUrl: `${url.replace(/^http/, 'ws')}/collab`, child };
}

async function stopProc(p: Proc | undefined) {
  if (!p || p.child.exitCode !== null || p.child.signalCode) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await exited;
}

const b64 = (rp: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rp)).toString('base64');

/** The span [start, end) of the anchor in this client's document now. */
function span(c: Client, anchor: { start: string; end: string }): [number, number] {
  const abs = (s: string) =>
    Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(s, 'base64')), c.doc)!.index;
  return [abs(anchor.start), abs(anchor.end)];
}

let h: TestDatabase;
let t: Tenant;
let token: string;
let n1: Proc | undefined;
let n2: Proc | undefined;

beforeAll(async () => {
  if (!PG || !REDIS) return;
  h = await freshDatabase();
  t = await seedTenant(h.db);
  token = await tokenFor(h, t.userId, t.orgId);
  [n1, n2] = await Promise.all([startProc(h.url!), startProc(h.url!)]);
}, 120_000);
afterAll(async () => {
  await Promise.all([stopProc(n1), stopProc(n2)]);
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

const api = async (base: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
};

describe.runIf(PG && REDIS)('anchored notes under concurrent edits on two nodes', () => {
  it('property: the anchor covers exactly its word in both editors and in the API', async () => {
    const edit = fc.record({
      who: fc.integer({ min: 0, max: 1 }),
      kind: fc.constantFrom('insert' as const, 'delete' as const),
      at: fc.nat(),
      n: fc.integer({ min: 1, max: 4 }),
      s: fc.string({ minLength: 1, maxLength: 5 }),
      pause: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 4, maxLength: 25 }), async (edits) => {
        const id = await newPost('alpha beta gamma delta');
        const cs = [connectClient(n1!.wsUrl, `post:${id}`, token), connectClient(n2!.wsUrl, `post:${id}`, token)];
        try {
          await Promise.all(cs.map((c) => synced(c)));
          const text = cs[0]!.text;
          const at = text.toString().indexOf('beta');
          const anchor = {
            start: b64(Y.createRelativePositionFromTypeIndex(text, at, 0)),
            end: b64(Y.createRelativePositionFromTypeIndex(text, at + 4, -1)),
          };
          const note = await api(n2!.url, 'POST', '/notes', { postId: id, body: 'On beta', anchor });
          expect(note.status).toBe(201);
          expect(note.body.quote).toBe('beta');
          // Each editor edits its own view around the word (never inside it), without waiting
          // for the other: inserts at the word's edges and deletes next to it race across nodes.
          for (const e of edits) {
            const c = cs[e.who]!;
            const len = c.text.length;
            const [s, end] = span(c, anchor);
            if (e.kind === 'insert') {
              const i = e.at % (len + 1);
              if (i > s && i < end) continue;
              c.text.insert(i, e.s);
            } else if (len > 0) {
              const i = e.at % len;
              const n = Math.min(e.n, len - i);
              if (i < end && i + n > s) continue;
              c.text.delete(i, n);
            }
            if (e.pause) await new Promise((r) => setTimeout(r, 5));
          }
          await until(() => cs[0]!.text.toString() === cs[1]!.text.toString(), 10_000, 'editors converge');
          for (const c of cs) {
            const [s, end] = span(c, anchor);
            expect(c.text.toString().slice(s, end)).toBe('beta');
          }
          const final = cs[0]!.text.toString();
          await until(
            async () => {
              const notes = await api(n1!.url, 'GET', `/notes?postId=${id}`);
              const row = await api(n1!.url, 'GET', `/posts/${id}`);
              return row.body.content === final && notes.body.items[0]?.anchorText === 'beta';
            },
            10_000,
            'the API resolves the anchor from the stored document',
          );
        } finally {
          for (const c of cs) c.destroy();
        }
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});
