import { createClient } from 'redis';
import type { Logger } from './logger.ts';

/** The Redis URL without its password, for messages. */
export function redactedRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}

/**
 * Fails fast when Redis is unreachable at start: a few quick attempts within `withinMs`, then
 * an error naming Redis (the Redis clients used later retry forever, which would leave the
 * server neither listening nor exiting).
 */
export async function requireRedis(url: string, withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const client = createClient({
      url,
      socket: { reconnectStrategy: false, connectTimeout: Math.min(3000, Math.max(500, deadline - Date.now())) },
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      await client.quit();
      return;
    } catch (err) {
      last = err;
      await client.disconnect().catch(() => {});
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(
    `Redis is unreachable at ${redactedRedisUrl(url)} (REDIS_URL): ${(last as Error)?.message ?? 'no answer'}`,
  );
}

/**
 * A readiness check for /readyz: rejects while the connection to Redis is down. Its client
 * reconnects on its own, like the others, so readiness comes back when Redis does.
 */
export async function redisReadiness(url: string, logger: Logger) {
  const client = createClient({ url, socket: { reconnectStrategy: (n) => Math.min(200 * 2 ** n, 2000) } });
  let lastLog = 0;
  client.on('error', (err) => {
    if (Date.now() - lastLog > 5000) logger.warn({ err }, 'redis unreachable (readiness)');
    lastLog = Date.now();
  });
  await client.connect();
  return {
    check: async () => {
      if (!client.isReady) throw new Error('Redis is not connected');
      await client.ping();
    },
    close: async () => {
      await client.quit().catch(() => client.disconnect().catch(() => {}));
    },
  };
}
