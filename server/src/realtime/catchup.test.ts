import type { ChangeEvent } from '@chorus/shared/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, registerOwner, startTestApp, type TestApp } from '../../test/api.ts';
import { type Client, connected, socketTracker, until } from '../../test/sockets.ts';
import { withTenant } from '../db/tenant.ts';
import { recordChanges } from './changes.ts';

// Cost that follows the view, not the history: a client that loads state joins the feed at the
// head that state was read at, and one resuming from far behind is caught up beside the live
// sockets instead of in front of them.

const LIMIT = 6000;
let app: TestApp;
const { socket, closeAll } = socketTracker();

beforeAll(async () => {
  app = await startTestApp({ CHANGE_CATCHUP_LIMIT: String(LIMIT) });
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

async function head(org: Caller): Promise<number> {
  return Number((await org.call('GET', '/me')).headers.get('x-chorus-seq'));
}

/** Appends `n` changes to the organisation's feed (as history) and waits until they are numbered. */
async function history(org: Caller, n: number): Promise<number> {
  const before = await head(org);
  for (let done = 0; done < n; done += 1000) {
    await withTenant(app.database.db, org.organisationId, (tx) =>
      recordChanges(
        tx,
        Array.from({ length: Math.min(1000, n - done) }, (_, i) => ({
          organisationId: org.organisationId,
          entity: 'client' as const,
          op: 'update' as const,
          id: org.userId,
          data: { i: done + i },
          actorId: null,
        })),
      ),
    );
  }
  for (let i = 0; i < 200 && (await head(org)) < before + n; i++) await new Promise((r) => setTimeout(r, 50));
  const now = await head(org);
  expect(now).toBe(before + n);
  return now;
}

const seqs = (got: ChangeEvent[]) => got.map((c) => c.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('joining the feed', () => {
  it('every authenticated read tells the head it was read at; a tab joining there gets no replay, then live changes', async () => {
    const org = await registerOwner(app.url, 'join-head');
    const top = await history(org, 3000);
    const me = await org.call('GET', '/me');
    expect(me.headers.get('x-chorus-seq')).toBe(String(top));
    const list = await org.call('GET', '/clients?limit=1');
    expect(list.headers.get('x-chorus-seq')).toBe(String(top));
    // Writes do not carry it: they answer no state read before the write.
    const made = await org.call('POST', '/clients', { name: 'Seen live' });
    expect(made.headers.get('x-chorus-seq')).toBeNull();

    // As the web client does: the head of the state it loaded is where its socket joins.
    // The write is numbered just after its commit: wait for it before loading state.
    for (let i = 0; i < 100 && (await head(org)) === top; i++) await new Promise((r) => setTimeout(r, 20));
    const loadedAt = Number((await org.call('GET', '/me')).headers.get('x-chorus-seq'));
    expect(loadedAt).toBe(top + 1);
    const tab = socket(app.url, { token: org.token, lastSeq: loadedAt });
    const got = collect(tab);
    // And one that hands no position joins at the head too.
    const bare = socket(app.url, { token: org.token });
    const gotBare = collect(bare);
    await Promise.all([connected(tab), connected(bare)]);
    await org.json('POST', '/clients', { name: 'After the tab opened' });
    await until(() => got.length >= 1 && gotBare.length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(seqs(got)).toEqual([loadedAt + 1]);
    expect(seqs(gotBare)).toEqual([loadedAt + 1]);
    expect((got[0]!.data as any).name).toBe('After the tab opened');
  });
});

describe('catching up', () => {
  it('a socket resuming from far behind gets every missed change once, in order, while live sockets get theirs first', async () => {
    const org = await registerOwner(app.url, 'catch-up');
    const start = await head(org);
    const top = await history(org, 5000);
    const live = [0, 1, 2].map(() => socket(app.url, { token: org.token }));
    const liveGot = live.map(collect);
    await Promise.all(live.map(connected));

    const resumer = socket(app.url, { token: org.token, lastSeq: start });
    const resumed = collect(resumer);
    await connected(resumer);
    // A live change made while the resumer is still being served its history.
    await until(() => resumed.length > 0);
    await org.json('POST', '/clients', { name: 'Live during catch-up' });
    let resumedWhenLiveGotIt = -1;
    await until(() => {
      if (resumedWhenLiveGotIt < 0 && liveGot.every((g) => g.length >= 1)) resumedWhenLiveGotIt = resumed.length;
      return resumed.length >= top - start + 1;
    }, 30_000);
    const writes = Array.from({ length: 5 }, (_, i) => org.json('POST', '/clients', { name: `After ${i}` }));
    await Promise.all(writes);
    await until(() => resumed.length >= top - start + 6 && liveGot.every((g) => g.length >= 6));
    await new Promise((r) => setTimeout(r, 200));

    // Exactly once, in order, no gap: the whole history, the live change and the later ones.
    expect(seqs(resumed)).toEqual(range(start + 1, top + 6));
    for (const g of liveGot) expect(seqs(g)).toEqual(range(top + 1, top + 6));
    // The live sockets were not kept waiting behind the replay: they had the live change while
    // the resumer was still short of it.
    expect(resumedWhenLiveGotIt).toBeGreaterThan(0);
    expect(resumedWhenLiveGotIt).toBeLessThan(top - start + 1);
  });

  it('several resumers from different points each get their own missed changes exactly once', async () => {
    const org = await registerOwner(app.url, 'catch-up-many');
    const start = await head(org);
    const top = await history(org, 2000);
    const points = [start, start + 500, start + 1999, top];
    const socks = points.map((p) => socket(app.url, { token: org.token, lastSeq: p }));
    const gots = socks.map(collect);
    await Promise.all(socks.map(connected));
    await org.json('POST', '/clients', { name: 'One more' });
    await until(() => gots.every((g) => g.at(-1)?.seq === top + 1), 20_000);
    await new Promise((r) => setTimeout(r, 200));
    for (const [i, p] of points.entries()) expect(seqs(gots[i]!)).toEqual(range(p + 1, top + 1));
  });

  it('past the catch-up limit a resuming socket is told to resync at the head, then gets live changes', async () => {
    const org = await registerOwner(app.url, 'catch-up-limit');
    const start = await head(org);
    const top = await history(org, LIMIT + 500);
    const s = socket(app.url, { token: org.token, lastSeq: start });
    const got = collect(s);
    const resync = new Promise<{ lastSeq: number }>((r) => s.once('resync', r));
    await connected(s);
    expect((await resync).lastSeq).toBe(top);
    await org.json('POST', '/clients', { name: 'After resync' });
    await until(() => got.length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(seqs(got)).toEqual([top + 1]);
  });
});
