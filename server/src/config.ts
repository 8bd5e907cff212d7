import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
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
});

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
  };
}
