import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { attachCollab, COLLAB_PREFIX } from './collab/index.ts';
import type { Config } from './config.ts';
import { type DatabaseHandle, openDatabase } from './db/connect.ts';
import type { AppDeps } from './deps.ts';
import { apiRoutes } from './http/api.ts';
import { createApp } from './http/app.ts';
import { docsRoutes } from './http/docs.ts';
import { createMetrics } from './http/health.ts';
import { webRoutes } from './http/static.ts';
import { type JobsOptions, startJobs } from './jobs/index.ts';
import type { Logger } from './logger.ts';
import { attachRealtime, SOCKET_PATH } from './realtime/index.ts';
import { redisReadiness, requireRedis } from './redis-health.ts';

export interface RunningServer {
  url: string;
  deps: AppDeps;
  database: DatabaseHandle;
  http: Server;
  close(): Promise<void>;
}

/** Opens the database, applies migrations and serves everything on one port. */
export async function startServer(
  config: Config,
  logger: Logger,
  opts: { database?: DatabaseHandle; jobs?: JobsOptions } = {},
): Promise<RunningServer> {
  // Multi-node mode cannot work without Redis: say so and stop rather than hang.
  if (config.redisUrl) await requireRedis(config.redisUrl);
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const applied = await database.migrate();
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const deps: AppDeps = { config, logger, db: database.db, metrics: createMetrics() };
  const redis = config.redisUrl ? await redisReadiness(config.redisUrl, logger) : undefined;
  const app = createApp(deps, {
    api: apiRoutes(),
    extra: docsRoutes(),
    fallback: webRoutes(),
    readiness: redis ? [redis.check] : [],
  });
  const http = createHttpServer(getRequestListener(app.fetch));
  // Slow-loris protection without cutting long uploads short.
  http.headersTimeout = 20_000;
  http.requestTimeout = 10 * 60_000;

  // Order matters on shutdown: stop taking work (jobs), then close live connections, then HTTP.
  // The bridges between the parts are wired here, explicitly: the API reaches live documents
  // through deps.collab and subscribed sockets through deps.realtime.
  const realtime = await attachRealtime(http, deps);
  deps.realtime = realtime.bridge;
  const collab = await attachCollab(http, deps);
  deps.collab = collab.bridge;
  const attachments = [...(redis ? [redis] : []), realtime, collab, await startJobs(deps, database, opts.jobs)];
  // Upgrades nobody owns would otherwise hang open forever (socket.io is told not to destroy them).
  http.on('upgrade', (req, socket) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (path.startsWith(`${SOCKET_PATH}/`) || path.startsWith(COLLAB_PREFIX)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  // Listen only once every upgrade handler is attached: after a restart, reconnecting editors
  // arrive at once, and a /collab upgrade taken before collab attached was never answered.
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  }).catch(async (err: unknown) => {
    for (const a of [...attachments].reverse()) await a.close().catch(() => {});
    throw err;
  });

  const addr = http.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const a of [...attachments].reverse()) await a.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      });
      if (!opts.database) await database.close();
    })());

  return { url, deps, database, http, close };
}
