import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import ipaddr from 'ipaddr.js';
import { sql } from 'kysely';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/connect.ts';
import { clientAddress } from './guards.ts';
import { Problem } from './problem.ts';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'chorus_http_request_duration_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

function isLoopback(address: string): boolean {
  try {
    const a = ipaddr.process(address);
    return a.range() === 'loopback';
  } catch {
    return false;
  }
}

function sameSecret(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

const withTimeout = (p: Promise<unknown>, ms: number) =>
  Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/**
 * Liveness and readiness (unauthenticated), and Prometheus metrics: those reveal route
 * templates and process figures, so only a loopback caller or one sending
 * `Authorization: Bearer <METRICS_TOKEN>` gets them.
 */
export function healthRoutes(
  db: Db,
  metrics: Metrics,
  opts: { readiness: Array<() => Promise<unknown>>; metricsToken: string | undefined; trustProxy: boolean },
) {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      try {
        await withTimeout(Promise.all([sql`SELECT 1`.execute(db), ...opts.readiness.map((check) => check())]), 2000);
        return c.json({ status: 'ready' });
      } catch {
        return c.json({ status: 'unavailable' }, 503);
      }
    })
    .get('/metrics', async (c) => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      const allowed = opts.metricsToken
        ? (bearer !== undefined && sameSecret(bearer, opts.metricsToken)) ||
          isLoopback(clientAddress(c, opts.trustProxy))
        : isLoopback(clientAddress(c, opts.trustProxy));
      if (!allowed) {
        throw new Problem('forbidden', 'Metrics are served to loopback callers, or with the metrics token');
      }
      return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
    });
}
