import { isUuid } from '@chorus/domain';
import { run, type TaskList, Logger as WorkerLogger } from 'graphile-worker';
import type { Logger } from '../logger.ts';

/**
 * The job runner on PostgreSQL: graphile-worker.
 *
 * - `publish_post` jobs, keyed `publish:<post id>`, are added, moved and removed by triggers on
 *   scheduled_posts and post_publishing (migrations/0012) in the writer's own transaction; the
 *   handler claims the post (claimBatcher) and hands it to its connector.
 * - Recurring work (the publishing sweeper, metrics collection, webhook delivery) is one job per
 *   kind under a fixed key, which re-adds itself for its next run before it works: one node
 *   runs each at a time, and a node dying mid-run cannot end the chain.
 */
export interface Recurring {
  name: string;
  everyMs: number;
  /** One step; true when it found a full batch and should run again at once. */
  step: () => Promise<boolean>;
}

export interface QueueOptions {
  url: string;
  logger: Logger;
  concurrency: number;
  pollMs: number;
  publish: (postId: string) => Promise<void>;
  recurring: Recurring[];
}

/** graphile-worker's info lines are per job; they go to debug so a burst does not flood the log. */
function workerLogger(logger: Logger) {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const fields = { ...scope, ...meta };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else logger.debug(fields, message);
  });
}

export async function startQueue(opts: QueueOptions) {
  const logger = opts.logger.child({ queue: 'graphile-worker' });
  const taskList: TaskList = {
    publish_post: async (payload) => {
      const postId = (payload as { postId?: unknown } | null)?.postId;
      // A job added by hand with a bad payload is dropped, not retried 25 times.
      if (typeof postId !== 'string' || !isUuid(postId)) {
        logger.error({ payload }, 'publish_post job without a post id, dropped');
        return;
      }
      await opts.publish(postId);
    },
  };
  for (const r of opts.recurring) {
    taskList[r.name] = async (_payload, helpers) => {
      await helpers.addJob(r.name, {}, { jobKey: r.name, runAt: new Date(Date.now() + r.everyMs) });
      if (await r.step()) await helpers.addJob(r.name, {}, { jobKey: r.name });
    };
  }
  const runner = await run({
    connectionString: opts.url,
    concurrency: opts.concurrency,
    pollInterval: opts.pollMs,
    noHandleSignals: true,
    logger: workerLogger(logger),
    taskList,
    preset: {
      worker: {
        // Jobs are fetched and completed in batches: a burst of due posts costs a few queue
        // queries per batch instead of two per post.
        maxPoolSize: 6,
        localQueue: { size: opts.concurrency },
        completeJobBatchDelay: 20,
        failJobBatchDelay: 20,
      },
    },
  });
  // A starting node runs each recurring job once at once (a restart after a crash sweeps
  // straight away, and a changed interval takes effect), which also recreates a lost chain.
  for (const r of opts.recurring) await runner.addJob(r.name, {}, { jobKey: r.name });
  return {
    stop: () => runner.stop(),
  };
}
