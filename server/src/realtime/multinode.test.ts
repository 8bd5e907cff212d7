import { type ChildProcess, spawn } from 'node:child_process';
import type { ChangeEvent, MetricsEvent } from '@chorus/shared/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Caller, registerOwner } from '../../test/api.ts';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { type Client, connected, socketTracker, until } from '../../test/sockets.ts';

// Two real server processes on one PostgreSQL database and one Redis, as behind a load
// balancer: writes land on either node, sockets live on either node, and each socket still
// gets each change exactly once, in order; metrics and logouts cross nodes too.

interface Node {
  url: string;
  child: ChildProcess;
}

const enabled = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
let database: TestDatabase;
const nodes: Node[] = [];
const { socket, closeAll } = socketTracker();

function startNode(url: string): Promise<Node> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['src/main.ts'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: url, REDIS_URL: process.env.REDIS_URL! },
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /"url":"(http:[^"]+)"/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.stderr!.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) => reject(new Error(`node exited ${code}: ${out}`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The same caller, but talking to another node. */
function via(c: Caller, node: Node): Caller {
  return { ...c, ...callerAt(node.url, c) };
}
function callerAt(url: string, c: Caller): Pick<Caller, 'call' | 'json'> {
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${c.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    call,
    json: async (method, path, body, headers) => {
      const res = await call(method, path, body, headers);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, res };
    },
  };
}

describe.runIf(enabled)('several nodes', () => {
  beforeAll(async () => {
    database = await freshDatabase();
    nodes.push(...(await Promise.all([startNode(database.url!), startNode(database.url!)])));
  }, 90_000);
  afterAll(async () => {
    closeAll();
    for (const n of nodes) n.child.kill('SIGTERM');
    await Promise.all(
      nodes.map((n) => new Promise((r) => (n.child.exitCode !== null ? r(null) : n.child.once('exit', r)))),
    );
    await database?.close();
  }, 30_000);

  it('writes through both nodes reach sockets on both nodes exactly once, in order, across a cross-node resume', async () => {
    const [n1, n2] = nodes as [Node, Node];
    const owner = await registerOwner(n1.url, 'mn-feed');
    const start = (await owner.json<any>('GET', '/changes?after=0')).body.lastSeq as number;
    const logs = new Map<string, ChangeEvent[]>();
    const watch = (name: string, s: Client) => {
      const log = logs.get(name) ?? [];
      logs.set(name, log);
      s.on('change', (c) => log.push(c));
    };
    const onA = socket(n1.url, { token: owner.token, lastSeq: start });
    const onB = socket(n2.url, { token: owner.token, lastSeq: start });
    const leaver = socket(n2.url, { token: owner.token, lastSeq: start });
    watch('node A', onA);
    watch('node B', onB);
    watch('resumed B→A', leaver);
    await Promise.all([connected(onA), connected(onB), connected(leaver)]);

    const WRITES = 30;
    const names = Array.from({ length: WRITES }, (_, i) => `Client ${i}`);
    const writes = names.map(async (name, i) => {
      await sleep((i % 6) * 15);
      const r = await via(owner, i % 2 ? n2 : n1).json('POST', '/clients', { name });
      expect(r.status).toBe(201);
    });
    // Partway through, one socket leaves node B and resumes on node A from its last seq.
    const resume = (async () => {
      await sleep(60);
      leaver.disconnect();
      await sleep(150);
      const log = logs.get('resumed B→A')!;
      const back = socket(n1.url, { token: owner.token, lastSeq: log.at(-1)?.seq ?? start });
      watch('resumed B→A', back);
      await connected(back);
    })();
    await Promise.all([...writes, resume]);

    await until(
      () => [...logs.values()].every((l) => l.length >= WRITES),
      10_000,
      () => [...logs].map(([name, l]) => `${name}: ${l.map((c) => c.seq).join(',')}`),
    );
    await sleep(1200); // a duplicate from the other node would arrive by now
    for (const [name, log] of logs) {
      expect(
        log.map((c) => c.seq),
        name,
      ).toEqual(log.map((_, i) => start + 1 + i));
      expect(log.map((c) => (c.data as { name: string }).name).sort(), name).toEqual([...names].sort());
    }
    // All three consumers agree on which change got which seq.
    const a = logs.get('node A')!.map((c) => `${c.seq}:${c.id}`);
    expect(logs.get('node B')!.map((c) => `${c.seq}:${c.id}`)).toEqual(a);
    expect(logs.get('resumed B→A')!.map((c) => `${c.seq}:${c.id}`)).toEqual(a);
  }, 60_000);

  it('metrics ingested on one node reach a subscriber on the other, once and coalesced', async () => {
    const [n1, n2] = nodes as [Node, Node];
    const owner = await registerOwner(n1.url, 'mn-metrics');
    const client = await owner.json<any>('POST', '/clients', { name: 'M' });
    const campaign = await owner.json<any>('POST', '/campaigns', {
      clientId: client.body.id,
      name: 'K',
      platform: 'x',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    });
    const post = await owner.json<any>('POST', '/posts', { campaignId: campaign.body.id, content: 'Hello' });
    expect(post.status).toBe(201);
    const s = socket(n2.url, { token: owner.token });
    await connected(s);
    // In both the post's and the campaign's room: still one event per flush.
    expect(await s.emitWithAck('subscribe', { postId: post.body.id })).toEqual({ ok: true });
    expect(await s.emitWithAck('subscribe', { campaignId: campaign.body.id })).toEqual({ ok: true });
    const got: MetricsEvent[] = [];
    s.on('metrics', (m) => got.push(m));
    const snapshots = Array.from({ length: 20 }, (_, i) => ({
      postId: post.body.id,
      capturedAt: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString(),
      likes: i,
      shares: 1,
      comments: 2,
      impressions: 100 + i,
    }));
    expect((await owner.json('POST', '/metrics', { snapshots })).status).toBe(200);
    await until(() => got.length >= 1);
    await sleep(800);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ postId: post.body.id, campaignId: campaign.body.id, likes: 19, impressions: 119 });
  }, 60_000);

  it('a logout through one node closes that session’s socket on the other within 5 s', async () => {
    const [n1, n2] = nodes as [Node, Node];
    const owner = await registerOwner(n1.url, 'mn-logout');
    const member = await addMember(n1.url, owner, 'editor');
    const s = socket(n2.url, { token: member.token });
    await connected(s);
    const gone = new Promise<number>((r) => s.once('disconnect', () => r(Date.now())));
    const t0 = Date.now();
    expect((await member.call('POST', '/auth/logout')).status).toBe(204);
    expect((await gone) - t0).toBeLessThan(5000);
    // And the token cannot open a new socket on either node.
    for (const n of nodes) await expect(connected(socket(n.url, { token: member.token }))).rejects.toThrow();
  }, 30_000);
});
