import { createHmac, timingSafeEqual } from 'node:crypto';
import { type OutboundAllow, OutboundRefused, outboundFetch } from '../net/outbound.ts';

/** Seconds a receiver should accept a signature for; older ones are treated as replays. */
export const SIGNATURE_TOLERANCE_S = 300;

/** `X-Chorus-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` */
export function signPayload(secret: string, body: string, nowS = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${nowS}.${body}`).digest('hex');
  return `t=${nowS},v1=${mac}`;
}

/**
 * What a receiver does: recompute the MAC over the raw body, compare in constant time, and
 * refuse timestamps outside the tolerance (a captured request cannot be replayed later).
 */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  opts: { nowS?: number; toleranceS?: number } = {},
): boolean {
  if (!header) return false;
  const parts = new Map<string, string[]>();
  for (const piece of header.split(',')) {
    const i = piece.indexOf('=');
    if (i <= 0) continue;
    const k = piece.slice(0, i).trim();
    parts.set(k, [...(parts.get(k) ?? []), piece.slice(i + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t)) return false;
  const now = opts.nowS ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceS ?? SIGNATURE_TOLERANCE_S)) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return (parts.get('v1') ?? []).some((v) => {
    if (!/^[0-9a-f]{64}$/i.test(v)) return false;
    return timingSafeEqual(Buffer.from(v, 'hex'), expected);
  });
}

export interface DeliveryResult {
  ok: boolean;
  /** Worth trying again later (network error, 5xx, 429, 408). */
  retry: boolean;
  error?: string;
}

/** One signed POST through the guarded client; a 2xx answer within the timeout counts as delivered. */
export async function deliverWebhook(
  url: string,
  secret: string,
  payload: { id: string; body: string },
  opts: { allow: OutboundAllow; timeoutMs?: number },
): Promise<DeliveryResult> {
  try {
    const res = await outboundFetch(url, opts.allow, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Chorus-Webhooks/1',
        'x-chorus-delivery': payload.id,
        'x-chorus-signature': signPayload(secret, payload.body),
      },
      body: payload.body,
      timeoutMs: opts.timeoutMs ?? 10_000,
      maxResponseBytes: 64 * 1024,
    });
    if (res.ok) return { ok: true, retry: false };
    const retry = res.status >= 500 || res.status === 429 || res.status === 408;
    return { ok: false, retry, error: `The endpoint answered ${res.status}` };
  } catch (err) {
    if (err instanceof OutboundRefused) return { ok: false, retry: false, error: `Refused: the URL ${err.message}` };
    return { ok: false, retry: true, error: `Could not reach the endpoint: ${(err as Error).message}` };
  }
}
