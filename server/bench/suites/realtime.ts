import { randomUUID } from 'node:crypto';
import type { ChangeEvent } from '@chorus/shared/events';
import { io, type Socket } from 'socket.io-client';
import { openDatabase } from '../../src/db/connect.ts';
import { withTenant } from '../../src/db/tenant.ts';
import { changeEvents, recordChange } from '../../src/realtime/changes.ts';
import { Sequencer } from '../../src/realtime/sequencer.ts';
import { percentile, scratchDatabase, startNode } from '../lib/processes.ts';
import type { BenchResult } from '../types.ts';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 2000);
const SAMPLES = 40;
// Unmeasured changes first: the first fan-outs to a new set of sockets run the delivery path
// cold (JIT, lazily grown buffers) and would measure the warm-up, not the relay.
const WARMUP = 5;

export async function run(): Promise<BenchResult[]> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.error('  realtime needs DATABASE_URL (a PostgreSQL server): skipped');
    return [];
  }
  const scratch = await scratchDatabase(base);
  const server = await startNode('src/main.ts', { DATABASE_URL: scratch.url });
  const database = await openDatabase({ databaseUrl: scratch.url, poolSize: 16 });
  const sockets: Socket[] = [];
  // This process writes like a second server node would: its own sequencer numbers its
  // commits at once and NOTIFYs, and the server under test delivers. Without it the server
  // would only find these rows on its 1 s safety-net poll.
  const sequencer = new Sequencer(
    database.db,
    () => {},
    (err) => console.error('  bench sequencer failed', err),
  );
  const kick = () => sequencer.kick();
  changeEvents.on('committed', kick);
  try {
    const reg = (await (
      await fetch(`${server.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          organisationName: 'Bench',
          name: 'Bench',
          email: 'rt@example.com',
          password: 'steady throughput 2026',
        }),
      })
    ).json()) as { token: string; organisation: { id: string }; user: { id: string } };
    const org = reg.organisation.id;
    const commitAt = new Map<number, number>();
    // A change straight through the data layer, marked so its deliveries can be matched to
    // its commit time (seq is assigned just after commit).
    let marker = 0;
    const change = async () => {
      const k = ++marker;
      await withTenant(database.db, org, (tx) =>
        recordChange(tx, {
          organisationId: org,
          entity: 'post',
          op: 'update',
          id: reg.user.id,
          data: { k },
          actorId: null,
        }),
      );
      commitAt.set(k, performance.now());
      return k;
    };

    async function connectAll(n: number) {
      const batch: Socket[] = [];
      for (let i = 0; i < n; i += 100) {
        const group = Array.from({ length: Math.min(100, n - i) }, () =>
          io(server.url, {
            auth: { token: reg.token },
            transports: ['websocket'],
            reconnection: false,
            forceNew: true,
          }),
        );
        await Promise.all(
          group.map(
            (s) =>
              new Promise<void>((r, j) => {
                s.once('connect', () => r());
                s.once('connect_error', j);
              }),
          ),
        );
        batch.push(...group);
      }
      sockets.push(...batch);
      return batch;
    }

    async function latency(group: Socket[]) {
      const seen: Array<[number, number]> = [];
      const handlers = group.map((s) => {
        const h = (c: ChangeEvent) => seen.push([(c.data as { k: number }).k, performance.now()]);
        s.on('change', h);
        return () => s.off('change', h);
      });
      for (let i = 0; i < WARMUP; i++) {
        await change();
        await new Promise((r) => setTimeout(r, 60));
      }
      const sent: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        sent.push(await change());
        await new Promise((r) => setTimeout(r, 60));
      }
      await new Promise((r) => setTimeout(r, 1000));
      for (const off of handlers) off();
      const mine = new Set(sent);
      const lat = seen.filter(([k]) => mine.has(k)).map(([k, at]) => at - commitAt.get(k)!);
      lat.sort((a, b) => a - b);
      return { p50: percentile(lat, 50), p99: percentile(lat, 99), lost: SAMPLES * group.length - lat.length };
    }

    const one = await connectAll(1);
    const single = await latency(one);
    const many = [...one, ...(await connectAll(SOCKETS - 1))];
    const fan = await latency(many);

    // Throughput: a burst of changes while all sockets listen; deliveries per second overall.
    const BURST = 200;
    let got = 0;
    const done = new Promise<number>((resolve) => {
      for (const s of many)
        s.on('change', () => {
          if (++got === BURST * many.length) resolve(performance.now());
        });
    });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: BURST }, () => change()));
    const t1 = await Promise.race([done, new Promise<number>((r) => setTimeout(() => r(Number.NaN), 60_000))]);
    const deliveriesPerSec = (BURST * many.length) / ((t1 - t0) / 1000);

    // Write throughput with and without the change row, same statements otherwise; sockets are
    // closed first so this measures what the feed costs a write, not the deliveries.
    for (const s of sockets.splice(0)) s.disconnect();
    // Each writer edits its own client, as a team does; the feed's counter is the one shared row.
    const clientIds = Array.from({ length: 8 }, () => randomUUID());
    await withTenant(database.db, org, (tx) =>
      tx
        .insertInto('clients')
        .values(clientIds.map((id, i) => ({ id, organisation_id: org, name: `Bench client ${i}` })))
        .execute(),
    );
    async function writes(feed: boolean) {
      const end = performance.now() + 4000;
      let n = 0;
      await Promise.all(
        clientIds.map(async (clientId) => {
          while (performance.now() < end) {
            await withTenant(database.db, org, async (tx) => {
              await tx
                .updateTable('clients')
                .set({ contact_name: `n${n}` })
                .where('id', '=', clientId)
                .execute();
              if (feed)
                await recordChange(tx, {
                  organisationId: org,
                  entity: 'client',
                  op: 'update',
                  id: clientId,
                  data: { n },
                  actorId: null,
                });
            });
            n++;
          }
        }),
      );
      return n / 4;
    }
    await writes(false);
    const off = await writes(false);
    const on = await writes(true);

    return [
      {
        name: `commit→delivery p99, ${many.length} sockets`,
        value: fan.p99,
        unit: 'ms',
        baseline: { name: '1 socket p99', value: single.p99 },
        ratio: fan.p99 / single.p99,
        goal: 'p99 < 50 ms and ≤ 3x single-socket p99',
        met: fan.p99 < 50 && fan.p99 <= 3 * single.p99,
      },
      {
        name: `commit→delivery p50, ${many.length} sockets`,
        value: fan.p50,
        unit: 'ms',
        baseline: { name: '1 socket p50', value: single.p50 },
      },
      {
        name: 'changes lost',
        value: fan.lost + single.lost,
        unit: 'events',
        goal: '0',
        met: fan.lost + single.lost === 0,
      },
      {
        name: `socket deliveries/s (burst of ${BURST} changes × ${many.length} sockets)`,
        value: deliveriesPerSec,
        unit: 'deliveries/s',
        goal: '>= 100,000',
        met: deliveriesPerSec >= 100_000,
      },
      {
        name: 'writes/s with change feed (8 writers, one org)',
        value: on,
        unit: 'tx/s',
        baseline: { name: 'same writes, no feed', value: off },
        ratio: on / off,
        goal: '>= 0.9x',
        met: on / off >= 0.9,
      },
    ];
  } finally {
    changeEvents.off('committed', kick);
    await sequencer.stop();
    for (const s of sockets) s.disconnect();
    await database.close();
    await server.stop();
    await scratch.drop();
  }
}
