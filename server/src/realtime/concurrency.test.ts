import type { ChangeEvent, ClientToServerEvents, ServerToClientEvents } from '@chorus/shared/events';
import { sql } from 'kysely';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, registerOwner, startTestApp, type TestApp } from '../../test/api.ts';
import { type DatabaseHandle, openDatabase } from '../db/connect.ts';
import { withTenant } from '../db/tenant.ts';
import { recordChange } from './changes.ts';

// The change feed's central promise, checked against many writers at once: every committed
// change reaches every consumer exactly once, in seq order, whichever way the writing
// transactions interleave, commit or roll back; and a consumer that leaves and resumes from
// its lastSeq misses nothing and repeats nothing.

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Tag {
  org: string;
  w: number;
  t: number;
  k: number;
}

let app: TestApp;
let writersDb: DatabaseHandle;
const orgs: Caller[] = [];
const open: Client[] = [];

function socket(auth: Record<string, unknown>): Client {
  const s: Client = connect(app.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  open.push(s);
  return s;
}
const connected = (s: Client) =>
  new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const key = (t: Tag) => `${t.w}/${t.t}/${t.k}`;

/** A deterministic pseudo-random stream, so a failure can be replayed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Checks one consumer's log against what committed: exactly once, seq contiguous, tx order kept. */
function check(log: ChangeEvent[], committed: Set<string>, org: string, label: string) {
  const tags = log.map((c) => c.data as Tag);
  expect(
    tags.every((t) => t.org === org),
    `${label}: only its own organisation`,
  ).toBe(true);
  const keys = tags.map(key);
  expect(new Set(keys).size, `${label}: no duplicates`).toBe(keys.length);
  expect([...keys].sort(), `${label}: exactly the committed changes`).toEqual([...committed].sort());
  for (let i = 1; i < log.length; i++) {
    expect(log[i]!.seq, `${label}: seq contiguous at ${i}`).toBe(log[i - 1]!.seq + 1);
  }
  // Changes of one transaction keep the order they were recorded in.
  const lastK = new Map<string, number>();
  for (const t of tags) {
    const tx = `${t.w}/${t.t}`;
    expect(t.k, `${label}: order inside ${tx}`).toBeGreaterThan(lastK.get(tx) ?? -1);
    lastK.set(tx, t.k);
  }
}

// Needs real concurrency: embedded PGlite runs one transaction at a time.
describe.runIf(Boolean(process.env.DATABASE_URL))('change feed under concurrent writers', () => {
  beforeAll(async () => {
    app = await startTestApp();
    // The writers get a pool of their own, as another node's API would.
    writersDb = app.database.url ? await openDatabase({ databaseUrl: app.database.url, poolSize: 24 }) : app.database;
    for (const label of ['cc-one', 'cc-two']) orgs.push(await registerOwner(app.url, label));
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    if (writersDb !== app?.database) await writersDb?.close();
    await app?.close();
  });

  it('every consumer sees every committed change exactly once, in seq order, across resumes', async () => {
    const WRITERS = 24;
    const TXS = 12;
    const committed = new Map(orgs.map((o) => [o.organisationId, new Set<string>()]));
    const start = new Map<string, number>();
    for (const o of orgs) start.set(o.organisationId, (await o.json<any>('GET', '/changes?after=0')).body.lastSeq);

    // Consumers per organisation: a live socket, a socket that leaves and resumes, an HTTP poller.
    const live = new Map<string, ChangeEvent[]>();
    const resumed = new Map<string, ChangeEvent[]>();
    const polled = new Map<string, ChangeEvent[]>();
    const leavers = new Map<string, Client>();
    for (const o of orgs) {
      const s = socket({ token: o.token, lastSeq: start.get(o.organisationId) });
      const log: ChangeEvent[] = [];
      s.on('change', (c) => log.push(c));
      const r = socket({ token: o.token, lastSeq: start.get(o.organisationId) });
      const rlog: ChangeEvent[] = [];
      r.on('change', (c) => rlog.push(c));
      await Promise.all([connected(s), connected(r)]);
      live.set(o.organisationId, log);
      resumed.set(o.organisationId, rlog);
      leavers.set(o.organisationId, r);
      polled.set(o.organisationId, []);
    }

    let writing = true;
    let stop = false;
    const pollers = orgs.map(async (o) => {
      const log = polled.get(o.organisationId)!;
      let after = start.get(o.organisationId)!;
      // Small pages, so paging itself is exercised while rows keep committing.
      while (!stop) {
        const page = (await o.json<any>('GET', `/changes?after=${after}&limit=7`)).body;
        expect(page.resync).toBe(false);
        log.push(...page.changes);
        after = page.lastSeq;
        if (page.changes.length === 0) {
          if (!writing && log.length >= committed.get(o.organisationId)!.size) return;
          await sleep(15);
        }
      }
    });

    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      const rand = rng(w + 1);
      const o = orgs[w % orgs.length]!;
      const org = o.organisationId;
      for (let t = 0; t < TXS; t++) {
        const n = 1 + Math.floor(rand() * 3);
        const fail = rand() < 0.15;
        const waits = Array.from({ length: n + 1 }, () => Math.floor(rand() * 12));
        try {
          await withTenant(writersDb.db, org, async (tx) => {
            // Uneven work before, between and after the change rows: commits interleave freely.
            await sql`SELECT pg_sleep(${waits[0]! / 1000})`.execute(tx);
            for (let k = 0; k < n; k++) {
              await recordChange(tx, {
                organisationId: org,
                entity: 'client',
                op: 'update',
                id: o.userId,
                data: { org, w, t, k } satisfies Tag,
                actorId: o.userId,
              });
              await sql`SELECT pg_sleep(${waits[k + 1]! / 1000})`.execute(tx);
            }
            if (fail) throw new Error('rolled back on purpose');
          });
          for (let k = 0; k < n; k++) committed.get(org)!.add(key({ org, w, t, k }));
        } catch (err) {
          if (!fail) throw err;
        }
      }
    });

    // Halfway through, the leavers disconnect; they come back a little later from their lastSeq.
    const resumes = orgs.map(async (o) => {
      const org = o.organisationId;
      await sleep(250);
      const r = leavers.get(org)!;
      r.disconnect();
      const rlog = resumed.get(org)!;
      await sleep(300);
      const back = socket({ token: o.token, lastSeq: rlog.at(-1)?.seq ?? start.get(org) });
      back.on('change', (c) => rlog.push(c));
      await connected(back);
    });

    try {
      await Promise.all([...writers, ...resumes]);
      writing = false;
      await Promise.race([
        Promise.all(pollers),
        sleep(20_000).then(() => {
          throw new Error('pollers did not catch up');
        }),
      ]);
    } finally {
      stop = true;
    }
    const total = [...committed.values()].reduce((n, s) => n + s.size, 0);
    const end = Date.now() + 15_000;
    while (
      orgs.some(
        (o) =>
          live.get(o.organisationId)!.length < committed.get(o.organisationId)!.size ||
          resumed.get(o.organisationId)!.length < committed.get(o.organisationId)!.size,
      ) &&
      Date.now() < end
    ) {
      await sleep(25);
    }
    await sleep(300); // anything extra (a duplicate) would arrive now

    expect(total).toBeGreaterThan(WRITERS * TXS); // enough rows to mean something
    for (const o of orgs) {
      const org = o.organisationId;
      const done = committed.get(org)!;
      check(live.get(org)!, done, org, 'live socket');
      check(resumed.get(org)!, done, org, 'resumed socket');
      check(polled.get(org)!, done, org, 'HTTP feed');
      expect(live.get(org)![0]!.seq).toBe(start.get(org)! + 1);
      // Every consumer saw the same seq for the same change.
      const seqOf = new Map(live.get(org)!.map((c) => [key(c.data as Tag), c.seq]));
      for (const c of [...resumed.get(org)!, ...polled.get(org)!]) expect(c.seq).toBe(seqOf.get(key(c.data as Tag)));
    }
  }, 90_000);
});
