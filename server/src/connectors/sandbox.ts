import { createHash, randomBytes } from 'node:crypto';
import { validateForPlatform } from '@chorus/domain';
import { sql } from 'kysely';
import { withSystem } from '../db/tenant.ts';
import { type Connector, type MetricsCounts, PublishError } from './types.ts';

export interface SandboxOptions {
  /** Simulated network time per publish; half before the platform stores the post, half after. */
  latencyMs: number;
  /** Share of publishes that fail transiently (a 503, say). */
  failureRate: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/** A number in [0, 1) fixed by the inputs: the "noise" must not move when asked twice. */
function unit(...parts: (string | number)[]): number {
  return createHash('sha256').update(parts.join('|')).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * A believable cumulative engagement curve: saturating growth towards a per-post ceiling, with
 * per-minute jitter that never makes a count go down (each minute lands somewhere between the
 * smooth curve's values at its start and its end).
 */
export function sandboxCounts(externalId: string, publishedAtMs: number, nowMs: number): MetricsCounts {
  const minutes = Math.max(0, (nowMs - publishedAtMs) / 60_000);
  const ceiling = 500 + Math.floor(unit(externalId, 'reach') * 50_000);
  const tau = 20 + unit(externalId, 'tau') * 160;
  const curve = (m: number) => ceiling * (1 - Math.exp(-m / tau));
  const q = Math.floor(minutes);
  const u = unit(externalId, q);
  const impressions = Math.floor(curve(q) + (curve(q + 1) - curve(q)) * u);
  const rate = (name: string, lo: number, hi: number) => lo + unit(externalId, name) * (hi - lo);
  return {
    externalId,
    impressions,
    likes: Math.floor(impressions * rate('likes', 0.02, 0.08)),
    shares: Math.floor(impressions * rate('shares', 0.002, 0.015)),
    comments: Math.floor(impressions * rate('comments', 0.001, 0.01)),
  };
}

/**
 * The default connector, and what demo data uses: a stand-in network that stores what it
 * "publishes" in sandbox_posts keyed by the idempotency key (as a real platform dedupes), so
 * exactly-once can be checked from outside. Content containing "[sandbox:fail]" fails
 * permanently and "[sandbox:flaky]" fails transiently every time, for demos and tests.
 */
export function sandboxConnector(opts: SandboxOptions): Connector {
  return {
    name: 'sandbox',
    validate: validateForPlatform,
    async publish(post, ctx) {
      await sleep(opts.latencyMs / 2, ctx.signal);
      if (post.content.includes('[sandbox:fail]'))
        throw new PublishError('The sandbox network rejected the post (as asked by [sandbox:fail])', {
          transient: false,
        });
      if (post.content.includes('[sandbox:flaky]') || Math.random() < opts.failureRate)
        throw new PublishError('The sandbox network is unavailable (simulated 503)', { transient: true });
      const fresh = `sbx_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
      const row = await withSystem(ctx.db, (tx) =>
        sql<{ external_id: string }>`
          INSERT INTO sandbox_posts (idempotency_key, organisation_id, external_id, scheduled_post_id)
          VALUES (${ctx.idempotencyKey}, ${post.organisationId}, ${fresh}, ${post.id})
          ON CONFLICT (idempotency_key) DO UPDATE SET calls = sandbox_posts.calls + 1
          RETURNING external_id`.execute(tx),
      );
      const externalId = row.rows[0]!.external_id;
      await sleep(opts.latencyMs / 2, ctx.signal);
      return {
        externalId,
        externalUrl: `https://sandbox.chorus.invalid/${post.platform}/${externalId}`,
        publishedAt: new Date(Number.parseInt(externalId.split('_')[1]!, 36)),
      };
    },
    async fetchMetrics(externalIds) {
      const now = Date.now();
      return externalIds.flatMap((id) => {
        const m = /^sbx_([0-9a-z]+)_/.exec(id);
        return m ? [sandboxCounts(id, Number.parseInt(m[1]!, 36), now)] : [];
      });
    },
  };
}
