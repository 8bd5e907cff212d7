import { spawn } from 'node:child_process';
import type { ChangeEvent, MetricsEvent, PresenceEvent } from '@chorus/shared/events';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Caller, registerOwner, startTestApp, type TestApp } from '../../test/api.ts';
import { type Client, connected, socketTracker, until } from '../../test/sockets.ts';
import { withTenant } from '../db/tenant.ts';
import { recordChange } from './changes.ts';

let app: TestApp;
let a: Caller;
let b: Caller;
const { socket, closeAll } = socketTracker();

beforeAll(async () => {
  app = await startTestApp();
  a = await registerOwner(app.url, 'rt-a');
  b = await registerOwner(app.url, 'rt-b');
});
afterAll(async () => {
  closeAll();
  await app?.close();
});

function collect(s: Client) {
  const got: ChangeEvent[] = [];
  s.on('change', (c) => got.push(c));
  return got;
}

describe('socket gateway', () => {
  it('delivers every change of the organisation, in seq order, with the resource as data', async () => {
    const s = socket(app.url, { token: a.token });
    await connected(s);
    const got = collect(s);
    const client = await a.json<any>('POST', '/clients', { name: 'Live client' });
    await a.json('PATCH', `/clients/${client.body.id}`, { contactName: 'Ada' });
    await a.call('DELETE', `/clients/${client.body.id}`);
    await until(() => got.length >= 3);
    expect(got.map((c) => [c.entity, c.op])).toEqual([
      ['client', 'insert'],
      ['client', 'update'],
      ['client', 'delete'],
    ]);
    expect(got[1]!.data).toMatchObject({ id: client.body.id, contactName: 'Ada', version: 2 });
    expect(got[0]!.actorId).toBe(a.userId);
    expect(got[2]!.data).toBeUndefined();
    for (let i = 1; i < got.length; i++) expect(got[i]!.seq).toBe(got[i - 1]!.seq + 1);
  });

  it("never shows one organisation's changes to another", async () => {
    const sb = socket(app.url, { token: b.token });
    await connected(sb);
    const gotB = collect(sb);
    const sa = socket(app.url, { token: a.token });
    await connected(sa);
    const gotA = collect(sa);
    await a.json('POST', '/clients', { name: 'Private to A' });
    await until(() => gotA.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(gotB).toEqual([]);
    // Subscribing to another organisation's campaign is refused as not found.
    const campaign = await makeCampaign(a);
    const ack = await sb.emitWithAck('subscribe', { campaignId: campaign });
    expect(ack).toEqual({ ok: false, code: 'not_found' });
  });

  it('resumes after a disconnect: the missed changes, then live ones, no gap and no duplicate', async () => {
    const s1 = socket(app.url, { token: a.token });
    await connected(s1);
    const first = collect(s1);
    await a.json('POST', '/clients', { name: 'Before the break' });
    await until(() => first.some((c) => (c.data as any)?.name === 'Before the break'));
    const lastSeq = first.find((c) => (c.data as any)?.name === 'Before the break')!.seq;
    s1.disconnect();
    for (let i = 0; i < 5; i++) await a.json('POST', '/clients', { name: `While away ${i}` });
    const s2 = socket(app.url, { token: a.token, lastSeq });
    const second = collect(s2);
    await connected(s2);
    await a.json('POST', '/clients', { name: 'After return' });
    await until(() => second.some((c) => (c.data as any)?.name === 'After return'), 10_000);
    await new Promise((r) => setTimeout(r, 200));
    // Whatever else the organisation did meanwhile, the stream is contiguous from lastSeq.
    expect(second.map((c) => c.seq)).toEqual(second.map((_, i) => lastSeq + 1 + i));
    const names = second.map((c) => (c.data as any)?.name);
    expect(names.filter((n) => n?.startsWith('While away'))).toEqual([0, 1, 2, 3, 4].map((i) => `While away ${i}`));
    expect(names.at(-1)).toBe('After return');
  });

  it('tells a client further behind than the retained history to resync', async () => {
    const org = await registerOwner(app.url, 'rt-retention');
    for (let i = 0; i < 3; i++) await org.json('POST', '/clients', { name: `Old ${i}` });
    // Changes are numbered just after commit; wait for all three before expiring two.
    for (let i = 0; i < 100 && (await org.json<any>('GET', '/changes?after=0')).body.lastSeq !== 3; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await withTenant(app.database.db, org.organisationId, (tx) =>
      tx.deleteFrom('changes').where('seq', '<=', 2).execute(),
    );
    const s = socket(app.url, { token: org.token, lastSeq: 0 });
    const resync = new Promise<{ lastSeq: number }>((r) => s.once('resync', r));
    const got = collect(s);
    await connected(s);
    expect((await resync).lastSeq).toBe(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual([]);
    const http = await org.json<any>('GET', '/changes?after=0');
    expect(http.body).toMatchObject({ resync: true, lastSeq: 3, changes: [] });
    const ok = await org.json<any>('GET', '/changes?after=2');
    expect(ok.body.changes.map((c: any) => c.seq)).toEqual([3]);
  });

  it('refuses handshakes without a session or from a foreign Origin', async () => {
    await expect(connected(socket(app.url, {}))).rejects.toThrow();
    await expect(connected(socket(app.url, { token: 'nope.nope' }))).rejects.toThrow();
    await expect(
      connected(socket(app.url, { token: a.token }, { extraHeaders: { origin: 'https://evil.example' } })),
    ).rejects.toThrow();
    const ok = socket(
      app.url,
      { token: a.token },
      { extraHeaders: { origin: app.server.deps.config.publicOrigins[0] } },
    );
    await connected(ok);
  });

  it('authenticates with the session cookie too', async () => {
    const s = socket(
      app.url,
      {},
      { extraHeaders: { cookie: `chorus_session=${a.token}`, origin: app.server.deps.config.publicOrigins[0] } },
    );
    await connected(s);
    expect(s.connected).toBe(true);
  });

  it('disconnects sockets within 5 s of logout', async () => {
    const who = await addMember(app.url, a, 'editor');
    const s = socket(app.url, { token: who.token });
    await connected(s);
    const gone = new Promise<number>((r) => s.once('disconnect', () => r(Date.now())));
    const t0 = Date.now();
    await who.call('POST', '/auth/logout');
    expect((await gone) - t0).toBeLessThan(5000);
  });

  it('subscribes to a campaign: presence of who is looking, and coalesced metrics', async () => {
    const campaign = await makeCampaign(a);
    const post = (await a.json<any>('POST', '/posts', { campaignId: campaign, content: 'Hi' })).body.id;
    const viewer = await addMember(app.url, a, 'viewer');
    const s1 = socket(app.url, { token: a.token });
    const s2 = socket(app.url, { token: viewer.token });
    await Promise.all([connected(s1), connected(s2)]);
    const presence: PresenceEvent[] = [];
    s1.on('presence', (p) => presence.push(p));
    expect(await s1.emitWithAck('subscribe', { campaignId: campaign })).toEqual({ ok: true });
    expect(await s2.emitWithAck('subscribe', { postId: post })).toEqual({ ok: true });
    expect(await s2.emitWithAck('subscribe', { campaignId: campaign })).toEqual({ ok: true });
    await until(() => presence.some((p) => p.users.length === 2));
    expect(
      presence
        .at(-1)!
        .users.map((u) => u.id)
        .sort(),
    ).toEqual([a.userId, viewer.userId].sort());
    const metrics: MetricsEvent[] = [];
    s2.on('metrics', (m) => metrics.push(m));
    const snaps = Array.from({ length: 50 }, (_, i) => ({
      postId: post,
      capturedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      likes: i,
      shares: 0,
      comments: 0,
      impressions: i * 10,
    }));
    await a.json('POST', '/metrics', { snapshots: snaps });
    await until(() => metrics.length >= 1);
    await new Promise((r) => setTimeout(r, 400));
    // Fifty snapshots in one burst arrive as one event (the latest), once, though s2 is in both rooms.
    expect(metrics).toHaveLength(1);
    expect(metrics[0]).toMatchObject({ postId: post, campaignId: campaign, likes: 49 });
    s2.disconnect();
    await until(() => presence.at(-1)!.users.length === 1);
  });

  it('answers malformed subscribe payloads and survives oversized frames', async () => {
    const s = socket(app.url, { token: a.token });
    await connected(s);
    for (const bad of [
      null,
      42,
      'x',
      { campaignId: 'not-a-uuid' },
      { campaignId: [] },
      { campaignId: 'a', postId: 'b' },
    ]) {
      expect(await s.emitWithAck('subscribe', bad as never)).toEqual({ ok: false, code: 'validation_failed' });
    }
    const big = socket(app.url, { token: a.token });
    await connected(big);
    const dropped = new Promise((r) => big.once('disconnect', r));
    big.emit('subscribe', { campaignId: 'x'.repeat(100_000) } as never);
    await dropped;
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(s.connected).toBe(true);
  });
});

describe('change feed under concurrency', () => {
  it('delivers every change exactly once, in order, when transactions of uneven length commit out of order', async () => {
    const org = await registerOwner(app.url, 'rt-concurrency');
    const s = socket(app.url, { token: org.token });
    await connected(s);
    const got = collect(s);
    const start = (await org.json<any>('GET', '/changes?after=0')).body.lastSeq as number;
    const writers = 40;
    await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        withTenant(app.database.db, org.organisationId, async (tx) => {
          // Uneven work before and after taking a seq, so commits interleave.
          await sql`SELECT pg_sleep(${(i % 7) * 0.005})`.execute(tx);
          await recordChange(tx, {
            organisationId: org.organisationId,
            entity: 'client',
            op: 'update',
            id: org.userId,
            data: { i },
            actorId: null,
          });
          await sql`SELECT pg_sleep(${((i * 3) % 5) * 0.004})`.execute(tx);
          if (i % 9 === 0) throw new Error('rolled back on purpose');
        }).catch(() => {}),
      ),
    );
    const committed = writers - Math.ceil(writers / 9);
    await until(() => got.length >= committed, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toHaveLength(committed);
    expect(got.map((c) => c.seq)).toEqual(Array.from({ length: committed }, (_, k) => start + k + 1));
    expect(new Set(got.map((c) => (c.data as any).i)).size).toBe(committed);
  });
});

async function makeCampaign(who: Caller): Promise<string> {
  const client = await who.json<any>('POST', '/clients', { name: `C ${Math.random()}` });
  const c = await who.json<any>('POST', '/campaigns', {
    clientId: client.body.id,
    name: 'K',
    platform: 'x',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
  });
  return c.body.id;
}

describe.runIf(Boolean(process.env.DATABASE_URL && process.env.REDIS_URL))('two nodes', () => {
  it('a change made through node A reaches a socket on node B exactly once; presence spans both', async () => {
    const env = {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: app.database.url!,
      REDIS_URL: process.env.REDIS_URL!,
    };
    const start = () =>
      new Promise<{ url: string; kill(): void }>((resolve, reject) => {
        const child = spawn(process.execPath, ['src/main.ts'], {
          cwd: new URL('../..', import.meta.url).pathname,
          env,
        });
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /"url":"(http:[^"]+)"/.exec(out);
          if (m) resolve({ url: m[1]!, kill: () => child.kill('SIGTERM') });
        });
        child.once('exit', () => reject(new Error(out)));
      });
    const [n1, n2] = await Promise.all([start(), start()]);
    try {
      const org = await registerOwner(n1.url, 'two-nodes');
      const campaign = await makeCampaign(org);
      const other = await addMember(n1.url, org, 'editor');
      const onB = socket(n2.url, { token: org.token });
      const onA = socket(n1.url, { token: other.token });
      await Promise.all([connected(onB), connected(onA)]);
      const got = collect(onB);
      const presence: PresenceEvent[] = [];
      onB.on('presence', (p) => presence.push(p));
      await onB.emitWithAck('subscribe', { campaignId: campaign });
      await onA.emitWithAck('subscribe', { campaignId: campaign });
      await org.json('PATCH', `/campaigns/${campaign}`, { goal: 'Reach' }); // through node A (n1)
      await until(() => got.length >= 1);
      await new Promise((r) => setTimeout(r, 1500));
      expect(got.filter((c) => c.entity === 'campaign' && c.op === 'update')).toHaveLength(1);
      await until(() => presence.some((p) => p.users.length === 2));
    } finally {
      n1.kill();
      n2.kill();
    }
  }, 60_000);
});
