import type { MiddlewareHandler } from 'hono';
import ipaddr from 'ipaddr.js';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { withSystem } from '../db/tenant.ts';
import type { AppEnv } from './app.ts';
import { clientAddress } from './guards.ts';
import { Problem } from './problem.ts';

/**
 * Fixed-window request limits kept in the database (table rate_limits), so every node of an
 * installation counts the same hits. A hit is taken atomically before the work it guards
 * (an upsert that bumps the counter and answers it), so parallel requests cannot all slip in.
 */
export interface RateLimit {
  /** Names the counter; one row per (bucket, key). */
  bucket: string;
  max: number;
  windowMs: number;
  /** The 429's detail, in plain words. */
  message: string;
}

const minute = 60_000;

/** Per-client-address limits of the public auth routes (each allows 30 requests a minute). */
export const ADDRESS_LIMITS = {
  /** Counts failed sign-ins only: a success gives its hit back. */
  login: { bucket: 'login', max: 30, windowMs: minute, message: 'Too many failed sign-ins from this address' },
  register: { bucket: 'register', max: 30, windowMs: minute, message: 'Too many sign-ups from this address' },
  passwordReset: {
    bucket: 'password-reset',
    max: 30,
    windowMs: minute,
    message: 'Too many password reset requests from this address',
  },
  magicLink: {
    bucket: 'magic-link',
    max: 30,
    windowMs: minute,
    message: 'Too many sign-in link requests from this address',
  },
} satisfies Record<string, RateLimit>;

export interface Taken {
  allowed: boolean;
  /** Seconds until the window ends (for Retry-After). */
  retryAfterS: number;
}

/**
 * The counter key for a client address: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64 —
 * one subscriber commonly holds a whole /64, so single IPv6 addresses would be free to rotate.
 */
export function addressKey(address: string): string {
  try {
    const a = ipaddr.process(address);
    if (a.kind() === 'ipv4') return a.toString();
    const parts = (a as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
    return `${parts.join(':')}::/64`;
  } catch {
    return address;
  }
}

/** Takes one hit from key's window; answers whether it was within the limit. */
export async function takeHit(db: Db, limit: RateLimit, key: string, now = new Date()): Promise<Taken> {
  const expired = new Date(now.getTime() - limit.windowMs);
  const row = await withSystem(db, async (tx) => {
    const { rows } = await sql<{ hits: number; window_start: Date }>`
      INSERT INTO rate_limits AS r (bucket, key, window_start, hits) VALUES (${limit.bucket}, ${key}, ${now}, 1)
      ON CONFLICT (bucket, key) DO UPDATE SET
        hits = CASE WHEN r.window_start <= ${expired} THEN 1 ELSE r.hits + 1 END,
        window_start = CASE WHEN r.window_start <= ${expired} THEN ${now} ELSE r.window_start END
      RETURNING hits, window_start`.execute(tx);
    // Now and then, forget windows long over so the table stays as small as the active keys.
    if (Math.random() < 0.01) {
      await sql`DELETE FROM rate_limits WHERE window_start < ${new Date(now.getTime() - 3_600_000)}`.execute(tx);
    }
    return rows[0]!;
  });
  const ends = new Date(row.window_start).getTime() + limit.windowMs;
  return { allowed: row.hits <= limit.max, retryAfterS: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)) };
}

/** Gives a hit back (e.g. a sign-in that succeeded does not count as a failure). */
export async function refundHit(db: Db, limit: RateLimit, key: string): Promise<void> {
  await withSystem(db, (tx) =>
    sql`UPDATE rate_limits SET hits = GREATEST(hits - 1, 0) WHERE bucket = ${limit.bucket} AND key = ${key}`.execute(
      tx,
    ),
  );
}

export function rateLimited(message: string, retryAfterS: number): Problem {
  return new Problem('rate_limited', `${message}; try again in ${retryAfterS} s`, {
    headers: { 'Retry-After': String(retryAfterS) },
  });
}

/** Takes a hit for the caller's address or answers 429; routes opt in with `middleware: [limitByAddress(…)]`. */
export function limitByAddress(limit: RateLimit): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get('deps');
    const taken = await takeHit(deps.db, limit, addressKey(clientAddress(c, deps.config.trustProxy)));
    if (!taken.allowed) throw rateLimited(limit.message, taken.retryAfterS);
    await next();
  };
}
