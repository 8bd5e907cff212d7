import { connectorRegistry } from '../connectors/registry.ts';
import { loadSecretBox } from '../connectors/secrets.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import type { AppDeps } from '../http/app.ts';
import type { Attachment } from '../realtime/index.ts';
import { type CollectorOptions, collectMetrics, DEFAULT_COLLECTOR } from './metrics.ts';
import {
  claimDue,
  claimRetries,
  claimStuck,
  DEFAULT_PUBLISHER,
  type PublisherDeps,
  type PublisherOptions,
  runAttempt,
  successBatcher,
} from './publisher.ts';
import { deliverDue } from './webhooks.ts';

/**
 * Publishing scheduler, metrics collection and webhook delivery (issue 7).
 *
 * Why not graphile-worker: the queue here is the tables themselves. A due post is claimed
 * straight from scheduled_posts (status 'scheduled', scheduled_at <= now()) with FOR UPDATE
 * SKIP LOCKED, retries and take-overs from post_publishing, webhooks from the
 * webhook_deliveries outbox. So "a job exists iff the post is scheduled" holds by
 * construction — rescheduling is just an UPDATE of scheduled_at, cancelling or a content edit
 * that sends the post back to review just changes its status, a delete removes it — with no
 * second row for every writer (API, collab save, cascades) to keep in step; the posts service
 * needs no schedule/unschedule calls. The same code runs on PostgreSQL with any number of
 * nodes and on embedded PGlite (one node), where graphile-worker cannot run at all. The cost is
 * polling: each node looks for due work every pollMs (1 s by default), which is an index scan
 * on partial indexes that are empty when nothing is due.
 */
export interface JobsOptions {
  pollMs: number;
  metricsPollMs: number;
  webhookPollMs: number;
  publisher: PublisherOptions;
  collector: CollectorOptions;
  sandbox: { latencyMs: number; failureRate: number };
  webhookBackoffMs: number;
}

const num = (v: string | undefined, d: number) =>
  v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : d;

/** Tunables from the environment (CHORUS_*), mostly for tests, demos and benchmarks. */
export function jobsOptionsFromEnv(env: Record<string, string | undefined> = process.env): JobsOptions {
  return {
    pollMs: num(env.CHORUS_PUBLISH_POLL_MS, 1000),
    metricsPollMs: num(env.CHORUS_METRICS_POLL_MS, 5000),
    webhookPollMs: num(env.CHORUS_WEBHOOK_POLL_MS, 2000),
    publisher: {
      ...DEFAULT_PUBLISHER,
      concurrency: num(env.CHORUS_PUBLISH_CONCURRENCY, DEFAULT_PUBLISHER.concurrency),
      maxAttempts: num(env.CHORUS_PUBLISH_MAX_ATTEMPTS, DEFAULT_PUBLISHER.maxAttempts),
      backoffMs: num(env.CHORUS_PUBLISH_BACKOFF_MS, DEFAULT_PUBLISHER.backoffMs),
      stuckAfterMs: num(env.CHORUS_PUBLISH_STUCK_MS, DEFAULT_PUBLISHER.stuckAfterMs),
      firstMetricsAfterMs: num(env.CHORUS_METRICS_FIRST_MS, DEFAULT_PUBLISHER.firstMetricsAfterMs),
    },
    collector: {
      ...DEFAULT_COLLECTOR,
      firstHourEveryMs: num(env.CHORUS_METRICS_EARLY_MS, DEFAULT_COLLECTOR.firstHourEveryMs),
    },
    sandbox: {
      latencyMs: num(env.CHORUS_SANDBOX_LATENCY_MS, 300),
      failureRate: num(env.CHORUS_SANDBOX_FAILURE_RATE, 0.02),
    },
    webhookBackoffMs: num(env.CHORUS_WEBHOOK_BACKOFF_MS, 10_000),
  };
}

/** A loop that runs `step` every `everyMs`, at once again while it finds a full batch. */
function every(everyMs: number, step: () => Promise<boolean>, onError: (err: unknown) => void) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      let again = true;
      while (again && !stopped) {
        try {
          again = await step();
        } catch (err) {
          onError(err);
          again = false;
        }
      }
    })().finally(() => {
      if (!stopped) timer = setTimeout(tick, everyMs);
    });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export interface Jobs extends Attachment {
  /** Resolves once no attempt is in flight on this node. */
  idle(): Promise<void>;
}

export async function startJobs(
  deps: AppDeps,
  database: DatabaseHandle,
  options: JobsOptions = jobsOptionsFromEnv(),
): Promise<Jobs> {
  const logger = deps.logger.child({ component: 'jobs' });
  const connectors = connectorRegistry({ sandbox: options.sandbox });
  const secrets = () => loadSecretBox(deps.config.dataDir);
  const shutdown = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const publisher: PublisherDeps = {
    db: database.db,
    logger,
    dataDir: deps.config.dataDir,
    connectors,
    secrets,
    options: options.publisher,
  };
  publisher.storeSuccess = successBatcher(publisher);
  const launch = (attempts: Awaited<ReturnType<typeof claimDue>>) => {
    for (const a of attempts) {
      const p = runAttempt(publisher, a, shutdown.signal).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  };
  const free = () => options.publisher.concurrency - inFlight.size;
  let lastSweep = 0;
  const publishLoop = every(
    options.pollMs,
    async () => {
      // Claim in chunks, not one post per freed slot: each claim is a commit on the
      // organisation's change feed, and those commits are what a burst is bounded by.
      const chunk = Math.max(1, Math.floor(options.publisher.concurrency / 4));
      if (free() < chunk && inFlight.size > 0) {
        while (free() < chunk && inFlight.size > 0) await Promise.race(inFlight);
        return true;
      }
      if (Date.now() - lastSweep > Math.min(30_000, options.publisher.stuckAfterMs / 2)) {
        lastSweep = Date.now();
        launch(
          await claimStuck(database.db, Math.min(free(), options.publisher.batch), options.publisher.stuckAfterMs),
        );
      }
      launch(await claimRetries(database.db, Math.min(free(), options.publisher.batch)));
      const due = await claimDue(database.db, Math.min(free(), options.publisher.batch));
      launch(due);
      return due.length > 0 && free() >= 0;
    },
    (err) => logger.error({ err }, 'publish loop failed'),
  );
  const metricsLoop = every(
    options.metricsPollMs,
    async () =>
      (await collectMetrics({
        db: database.db,
        logger,
        dataDir: deps.config.dataDir,
        connectors,
        secrets,
        options: options.collector,
        realtime: () => deps.realtime,
      })) >= options.collector.batch,
    (err) => logger.error({ err }, 'metrics loop failed'),
  );
  const webhookLoop = every(
    options.webhookPollMs,
    async () =>
      (await deliverDue({
        db: database.db,
        logger,
        secrets,
        backoffMs: options.webhookBackoffMs,
        timeoutMs: 10_000,
      })) >= 50,
    (err) => logger.error({ err }, 'webhook loop failed'),
  );
  const idle = async () => {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  };
  return {
    idle,
    async close() {
      await Promise.all([publishLoop.stop(), metricsLoop.stop(), webhookLoop.stop()]);
      // Attempts still with a connector are abandoned, not awaited: their posts stay
      // publishing and the sweeper on a live node settles them with the same key.
      shutdown.abort();
      await idle();
    },
  };
}
