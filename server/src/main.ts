import { type Config, ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const logger = createLogger(config.logLevel);
const server = await startServer(config, logger).catch((err: unknown) => {
  // The reason goes in the message itself, so a plain log line names what is missing (Redis, database…).
  logger.fatal({ err }, `could not start: ${(err as Error)?.message ?? String(err)}`);
  process.exit(1);
});
logger.info(
  { url: server.url, database: server.database.kind, multiNode: Boolean(config.redisUrl) },
  `Chorus is listening on ${server.url}`,
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Give in-flight work a bounded time to finish, then leave regardless.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  });
}
