import { resolve } from 'node:path';
import { z } from 'zod';
import { type OutboundAllow, parseOutboundAllow } from './net/outbound.ts';

const port = z.coerce.number().int().min(0).max(65535);
const ms = z.coerce.number().int().min(1).max(86_400_000);
const count = z.coerce.number().int().min(1).max(10_000);
const url = (protocols: string[]) => z.url({ protocol: new RegExp(`^(${protocols.join('|')})$`) });

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  PUBLIC_ORIGIN: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ASSET_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  CHANGE_RETENTION_DAYS: z.coerce.number().positive().default(30),
  CHANGE_CATCHUP_LIMIT: z.coerce.number().int().min(0).default(10_000),
  SESSION_TTL_DAYS: z.coerce.number().positive().default(30),
  CHORUS_OUTBOUND_ALLOW: z.string().optional(),
  TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SMTP_URL: url(['smtp', 'smtps']).optional(),
  MAIL_FROM: z.string().min(3).max(320).default('Chorus <no-reply@localhost>'),
  // Tuning of the background jobs, mostly for tests, demos and benchmarks; unset keeps each
  // job's own default (server/src/jobs/).
  CHORUS_SECRET_KEY: z.string().min(16).optional(),
  CHORUS_PUBLISH_POLL_MS: ms.optional(),
  CHORUS_METRICS_POLL_MS: ms.optional(),
  CHORUS_WEBHOOK_POLL_MS: ms.optional(),
  CHORUS_PUBLISH_CONCURRENCY: count.optional(),
  CHORUS_PUBLISH_MAX_ATTEMPTS: count.optional(),
  CHORUS_PUBLISH_BACKOFF_MS: ms.optional(),
  CHORUS_PUBLISH_STUCK_MS: ms.optional(),
  CHORUS_METRICS_FIRST_MS: ms.optional(),
  CHORUS_METRICS_EARLY_MS: ms.optional(),
  CHORUS_SANDBOX_LATENCY_MS: z.coerce.number().int().min(0).max(600_000).optional(),
  CHORUS_SANDBOX_FAILURE_RATE: z.coerce.number().min(0).max(1).optional(),
  CHORUS_WEBHOOK_BACKOFF_MS: ms.optional(),
  CHORUS_MAIL_POLL_MS: ms.optional(),
  CHORUS_MAIL_BACKOFF_MS: ms.optional(),
});

/** Job tunables from CHORUS_* variables; undefined where unset. */
export interface Tuning {
  publishPollMs?: number;
  metricsPollMs?: number;
  webhookPollMs?: number;
  publishConcurrency?: number;
  publishMaxAttempts?: number;
  publishBackoffMs?: number;
  publishStuckMs?: number;
  metricsFirstMs?: number;
  metricsEarlyMs?: number;
  sandboxLatencyMs?: number;
  sandboxFailureRate?: number;
  webhookBackoffMs?: number;
  mailPollMs?: number;
  mailBackoffMs?: number;
}

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  dataDir: string;
  publicOrigins: string[];
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  assetMaxBytes: number;
  changeRetentionDays: number;
  /** A socket resuming further behind than this many changes gets `resync` instead of a replay. */
  changeCatchUpLimit: number;
  sessionTtlDays: number;
  /** Non-public destinations webhooks and connectors may still reach. */
  outboundAllow: OutboundAllow;
  /** Whether X-Forwarded-For/-Proto come from a proxy we trust (else they are ignored). */
  trustProxy: boolean;
  /** Bearer token that opens /metrics to non-loopback callers; unset: loopback only. */
  metricsToken: string | undefined;
  /** Where mail goes; unset: each mail is logged and written to DATA_DIR/outbox/. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Key for connector credentials at rest; without it one is generated into DATA_DIR. */
  secretKey: string | undefined;
  tuning: Tuning;
};

export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as shells and .env files commonly leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const origins = (e.PUBLIC_ORIGIN ?? `http://localhost:${e.PORT},http://127.0.0.1:${e.PORT}`)
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origins) {
    let u: URL;
    try {
      u = new URL(o);
    } catch {
      throw new ConfigError(`Invalid configuration:\n  PUBLIC_ORIGIN: "${o}" is not a URL`);
    }
    if (u.origin !== o.replace(/\/$/, '')) {
      throw new ConfigError(`Invalid configuration:\n  PUBLIC_ORIGIN: "${o}" must be an origin (scheme://host[:port])`);
    }
  }
  let outboundAllow: OutboundAllow;
  try {
    outboundAllow = parseOutboundAllow(e.CHORUS_OUTBOUND_ALLOW ?? '');
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  CHORUS_OUTBOUND_ALLOW: ${(err as Error).message}`);
  }
  if (!/^(?:[^<>]*<)?[^@\s<>]+@[^@\s<>]+>?$/.test(e.MAIL_FROM.trim())) {
    throw new ConfigError(
      'Invalid configuration:\n  MAIL_FROM: must be an address, optionally with a name: "Chorus <no-reply@example.com>"',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    // Relative to where the user ran the command (pnpm runs scripts inside the package).
    dataDir: resolve(env.INIT_CWD ?? process.cwd(), e.DATA_DIR),
    publicOrigins: origins.map((o) => new URL(o).origin),
    logLevel: e.LOG_LEVEL,
    assetMaxBytes: e.ASSET_MAX_BYTES,
    changeRetentionDays: e.CHANGE_RETENTION_DAYS,
    changeCatchUpLimit: e.CHANGE_CATCHUP_LIMIT,
    sessionTtlDays: e.SESSION_TTL_DAYS,
    outboundAllow,
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    metricsToken: e.METRICS_TOKEN,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    secretKey: e.CHORUS_SECRET_KEY,
    tuning: {
      publishPollMs: e.CHORUS_PUBLISH_POLL_MS,
      metricsPollMs: e.CHORUS_METRICS_POLL_MS,
      webhookPollMs: e.CHORUS_WEBHOOK_POLL_MS,
      publishConcurrency: e.CHORUS_PUBLISH_CONCURRENCY,
      publishMaxAttempts: e.CHORUS_PUBLISH_MAX_ATTEMPTS,
      publishBackoffMs: e.CHORUS_PUBLISH_BACKOFF_MS,
      publishStuckMs: e.CHORUS_PUBLISH_STUCK_MS,
      metricsFirstMs: e.CHORUS_METRICS_FIRST_MS,
      metricsEarlyMs: e.CHORUS_METRICS_EARLY_MS,
      sandboxLatencyMs: e.CHORUS_SANDBOX_LATENCY_MS,
      sandboxFailureRate: e.CHORUS_SANDBOX_FAILURE_RATE,
      webhookBackoffMs: e.CHORUS_WEBHOOK_BACKOFF_MS,
      mailPollMs: e.CHORUS_MAIL_POLL_MS,
      mailBackoffMs: e.CHORUS_MAIL_BACKOFF_MS,
    },
  };
}
