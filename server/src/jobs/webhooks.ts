import { sql } from 'kysely';
import type { SecretBox } from '../connectors/secrets.ts';
import { deliverWebhook } from '../connectors/webhook.ts';
import type { Db } from '../db/connect.ts';
import { withSystem } from '../db/tenant.ts';
import type { Logger } from '../logger.ts';
import type { OutboundAllow } from '../net/outbound.ts';

export const WEBHOOK_MAX_ATTEMPTS = 10;
/** How long a claimed delivery is reserved for the node that took it. */
const LEASE_S = 60;

export interface WebhookDeps {
  db: Db;
  logger: Logger;
  secrets: () => Promise<SecretBox>;
  backoffMs: number;
  timeoutMs: number;
  /** Non-public destinations that may still be reached (CHORUS_OUTBOUND_ALLOW). */
  outboundAllow: OutboundAllow;
}

/**
 * One round of deliveries: claims due rows (a lease, so a node that dies mid-request only
 * delays the event), POSTs each signed, and stores delivered, a later retry with exponential
 * backoff, or failed after WEBHOOK_MAX_ATTEMPTS. Receivers get at-least-once delivery and can
 * dedupe on X-Chorus-Delivery.
 */
export async function deliverDue(deps: WebhookDeps, limit = 50): Promise<number> {
  const claimed = await withSystem(deps.db, async (tx) => {
    const { rows } = await sql<{ id: string; attempts: number; payload: unknown; url: string; secret: Buffer }>`
      UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${LEASE_S})
      FROM (
        SELECT id FROM webhook_deliveries
        WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      ) due, webhook_endpoints e
      WHERE d.id = due.id AND e.id = d.endpoint_id
      RETURNING d.id, d.attempts, d.payload, e.url, e.secret`.execute(tx);
    return rows;
  });
  if (claimed.length === 0) return 0;
  const box = await deps.secrets();
  await Promise.all(
    claimed.map(async (d) => {
      const body = JSON.stringify({ id: d.id, ...(d.payload as object) });
      const result = await deliverWebhook(
        d.url,
        box.open(d.secret),
        { id: d.id, body },
        {
          allow: deps.outboundAllow,
          timeoutMs: deps.timeoutMs,
        },
      );
      const giveUp = !result.ok && (!result.retry || d.attempts >= WEBHOOK_MAX_ATTEMPTS);
      const delay = Math.min(3_600_000, deps.backoffMs * 2 ** (d.attempts - 1)) / 1000;
      await withSystem(deps.db, (tx) =>
        result.ok
          ? sql`UPDATE webhook_deliveries SET delivered_at = now(), last_error = NULL
                WHERE id = ${d.id} AND attempts = ${d.attempts}`.execute(tx)
          : giveUp
            ? sql`UPDATE webhook_deliveries SET failed_at = now(), last_error = ${result.error ?? null}
                  WHERE id = ${d.id} AND attempts = ${d.attempts}`.execute(tx)
            : sql`UPDATE webhook_deliveries SET last_error = ${result.error ?? null},
                    next_attempt_at = now() + make_interval(secs => ${delay})
                  WHERE id = ${d.id} AND attempts = ${d.attempts}`.execute(tx),
      ).catch((err: unknown) =>
        deps.logger.error({ err, deliveryId: d.id }, 'could not store a webhook delivery result'),
      );
    }),
  );
  return claimed.length;
}
