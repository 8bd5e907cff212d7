import type { Tuning } from '../config.ts';
import { connectorRegistry } from '../connectors/registry.ts';
import { loadSecretBox } from '../connectors/secrets.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import type { AppDeps } from '../deps.ts';
import { createMailer, deliverMail, type MailDeps, onMailQueued } from '../mail/outbox.ts';
import type { Attachment } from '../realtime/index.ts';
import { type CollectorOptions, collectMetrics, DEFAULT_COLLECTOR } from './metrics.ts';
import {
  type Attempt,
  claimBatcher,
  claimDue,
  claimRetries,
  claimStuck,
  DEFAULT_PUBLISHER,
  type PublisherDeps,
  type PublisherOptions,
  runAttempt,
  successBatcher,
} from './publisher.ts';
import { startQueue } from './queue.ts';
import { deliverDue } from './webhooks.ts';

/**
 * Publishing scheduler, metrics collection and webhook delivery.
 *
 * On PostgreSQL the runner is graphile-worker (queue.ts): every scheduled post has a
 * `publish_post` job at its time, kept in step with the row by triggers, and the sweeper,
 * metrics collection and webhook delivery are recurring jobs. Embedded PGlite cannot run
 * graphile-worker (one connection, no LISTEN across clients), so there — one node by
 * definition — polling loops look for the same work straight in the tables. Both drive the
 * same claims: whatever asks, a post moves scheduled → publishing once, under SKIP LOCKED.
 */
export interface JobsOptions {
  /** How often due work is looked for (graphile-worker's poll interval on PostgreSQL). */
  pollMs: number;
  metricsPollMs: number;
  webhookPollMs: number;
  publisher: PublisherOptions;
  collector: CollectorOptions;
  sandbox: { latencyMs: number; failureRate: number };
  webhookBackoffMs: number;
  mailPollMs: number;
  mailBackoffMs: number;
}

/** The jobs' options: each CHORUS_* tunable the configuration holds, else the job's default. */
export function jobsOptions(tuning: Tuning = {}): JobsOptions {
  return {
    pollMs: tuning.publishPollMs ?? 1000,
    metricsPollMs: tuning.metricsPollMs ?? 2000,
    webhookPollMs: tuning.webhookPollMs ?? 2000,
    publisher: {
      ...DEFAULT_PUBLISHER,
      concurrency: tuning.publishConcurrency ?? DEFAULT_PUBLISHER.concurrency,
      maxAttempts: tuning.publishMaxAttempts ?? DEFAULT_PUBLISHER.maxAttempts,
      backoffMs: tuning.publishBackoffMs ?? DEFAULT_PUBLISHER.backoffMs,
      stuckAfterMs: tuning.publishStuckMs ?? DEFAULT_PUBLISHER.stuckAfterMs,
      firstMetricsAfterMs: tuning.metricsFirstMs ?? DEFAULT_PUBLISHER.firstMetricsAfterMs,
    },
    collector: {
      ...DEFAULT_COLLECTOR,
      minEveryMs: tuning.metricsEarlyMs ?? DEFAULT_COLLECTOR.minEveryMs,
    },
    sandbox: {
      latencyMs: tuning.sandboxLatencyMs ?? 300,
      failureRate: tuning.sandboxFailureRate ?? 0.02,
    },
    webhookBackoffMs: tuning.webhookBackoffMs ?? 10_000,
    mailPollMs: tuning.mailPollMs ?? 5000,
    mailBackoffMs: tuning.mailBackoffMs ?? 30_000,
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
  options: JobsOptions = jobsOptions(deps.config.tuning),
): Promise<Jobs> {
  const logger = deps.logger.child({ component: 'jobs' });
  const connectors = connectorRegistry({ sandbox: options.sandbox, outboundAllow: deps.config.outboundAllow });
  const secrets = () => loadSecretBox(deps.config.dataDir, deps.config.secretKey);
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
  const attempt = (a: Attempt) => {
    const p = runAttempt(publisher, a, shutdown.signal).finally(() => inFlight.delete(p));
    inFlight.add(p);
    return p;
  };
  const free = () => options.publisher.concurrency - inFlight.size;
  let closing = false;
  const sweepEveryMs = Math.min(30_000, options.publisher.stuckAfterMs / 2);

  /**
   * Attempts whose node died, and — as a backstop for a job lost or held by a dead node's
   * local queue — posts still scheduled well after their time. Answers whether it was full.
   */
  const sweep = async () => {
    if (closing) return false;
    const limit = Math.max(1, Math.min(free(), options.publisher.batch));
    const stuck = await claimStuck(database.db, limit, options.publisher.stuckAfterMs);
    const overdue = await claimDue(database.db, limit - stuck.length, { overdueMs: sweepEveryMs });
    for (const a of [...stuck, ...overdue]) void attempt(a);
    return stuck.length + overdue.length >= limit;
  };
  const collect = async () =>
    (await collectMetrics({
      db: database.db,
      logger,
      dataDir: deps.config.dataDir,
      connectors,
      secrets,
      options: options.collector,
      realtime: () => deps.realtime,
    })) >= options.collector.batch;
  const deliver = async () =>
    (await deliverDue({
      db: database.db,
      logger,
      secrets,
      backoffMs: options.webhookBackoffMs,
      timeoutMs: 10_000,
      outboundAllow: deps.config.outboundAllow,
    })) >= 50;

  // Mail: a round starts as soon as a transaction that queued mail commits on this node; the
  // recurring job (or loop) picks up retries and mail queued by other nodes.
  const mailer = createMailer(deps.config, logger);
  const mailDeps: MailDeps = {
    db: database.db,
    logger,
    mailer,
    origin: deps.config.publicOrigins[0]!,
    backoffMs: options.mailBackoffMs,
  };
  let mailRound: Promise<void> | undefined;
  let mailAgain = false;
  const sendMail = async () => (await deliverMail(mailDeps)) >= 50;
  const kickMail = () => {
    if (closing) return;
    if (mailRound) {
      mailAgain = true;
      return;
    }
    mailRound = (async () => {
      do {
        mailAgain = false;
        try {
          while ((await sendMail()) && !closing);
        } catch (err) {
          logger.error({ err }, 'mail round failed');
        }
      } while (mailAgain && !closing);
    })().finally(() => {
      mailRound = undefined;
    });
  };
  const stopWaking = onMailQueued(kickMail);

  const stopRunner =
    database.kind === 'postgres' && database.ownerUrl ? await startOnQueue(database.ownerUrl) : startPolling();

  async function startOnQueue(url: string) {
    const claim = claimBatcher(database.db);
    const queue = await startQueue({
      url,
      logger,
      concurrency: options.publisher.concurrency,
      pollMs: options.pollMs,
      publish: async (postId) => {
        // Failing (not finishing) leaves the job to be retried by a node that stays up.
        if (closing) throw new Error('This node is shutting down');
        const a = await claim(postId);
        if (a) await attempt(a);
      },
      recurring: [
        { name: 'publish_sweep', everyMs: sweepEveryMs, step: sweep },
        { name: 'collect_metrics', everyMs: options.metricsPollMs, step: collect },
        { name: 'deliver_webhooks', everyMs: options.webhookPollMs, step: deliver },
        { name: 'deliver_mail', everyMs: options.mailPollMs, step: sendMail },
      ],
    });
    return () => queue.stop();
  }

  function startPolling() {
    const onError = (what: string) => (err: unknown) => logger.error({ err }, `${what} failed`);
    let lastSweep = 0;
    const loops = [
      every(
        options.pollMs,
        async () => {
          // Claim in chunks, not one post per freed slot: each claim is a commit on the
          // organisation's change feed, and those commits are what a burst is bounded by.
          const chunk = Math.max(1, Math.floor(options.publisher.concurrency / 4));
          if (free() < chunk && inFlight.size > 0) {
            while (free() < chunk && inFlight.size > 0) await Promise.race(inFlight);
            return true;
          }
          if (Date.now() - lastSweep > sweepEveryMs) {
            lastSweep = Date.now();
            await sweep();
          }
          for (const a of await claimRetries(database.db, Math.min(free(), options.publisher.batch))) void attempt(a);
          const due = await claimDue(database.db, Math.min(free(), options.publisher.batch));
          for (const a of due) void attempt(a);
          return due.length > 0 && free() >= 0;
        },
        onError('publish loop'),
      ),
      every(options.metricsPollMs, collect, onError('metrics loop')),
      every(options.webhookPollMs, deliver, onError('webhook loop')),
      every(options.mailPollMs, sendMail, onError('mail loop')),
    ];
    return async () => {
      await Promise.all(loops.map((l) => l.stop()));
    };
  }

  const idle = async () => {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  };
  return {
    idle,
    async close() {
      // Attempts still with a connector after a short grace are abandoned: their posts stay
      // publishing and the sweeper on a live node settles them with the same key.
      closing = true;
      stopWaking();
      const grace = setTimeout(() => shutdown.abort(), 2_000);
      try {
        await stopRunner();
        await idle();
      } finally {
        clearTimeout(grace);
        shutdown.abort();
        await mailRound;
        mailer.close();
      }
    },
  };
}
