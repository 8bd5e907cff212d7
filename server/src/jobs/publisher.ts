import { sql } from 'kysely';
import type { ConnectorName } from '../connectors/registry.ts';
import type { SecretBox } from '../connectors/secrets.ts';
import { type Connector, type ConnectorAccount, PublishError, type PublishResult } from '../connectors/types.ts';
import type { Db } from '../db/connect.ts';
import { type Tx, withSystem } from '../db/tenant.ts';
import type { Logger } from '../logger.ts';
import type { PostRow } from '../resources/posts/dto.ts';
import { moveBySystem } from '../resources/posts/writer.ts';
import { referenceData } from '../resources/reference-data/service.ts';

/**
 * Publishing, exactly once across nodes and crashes.
 *
 * A node claims due posts by moving them scheduled → publishing under FOR UPDATE SKIP LOCKED
 * (so no two nodes take the same post, whichever job or loop asked) and records the attempt in
 * post_publishing with an idempotency key in the same transaction. Only then is the post
 * handed to its connector, with that key. The answer is stored only if the post is still
 * publishing and the attempt is still the current one. If a node dies in between, the
 * attempt's started_at grows old and the sweeper on any node takes it over and publishes again
 * with the same key: the platform (Mastodon's Idempotency-Key, the sandbox's unique key) hands
 * back the post it already made instead of a second one. Transient errors are retried with
 * exponential backoff while the post stays publishing; permanent errors, and running out of
 * attempts, end in failed with the reason.
 */
export interface PublisherOptions {
  /** Posts claimed per transaction. */
  batch: number;
  /** Attempts with a connector at once, per node. */
  concurrency: number;
  maxAttempts: number;
  /** First retry delay; doubles per attempt (±20 % jitter), capped at 10 minutes. */
  backoffMs: number;
  /** An attempt older than this is taken to be dead and is taken over. */
  stuckAfterMs: number;
  /** First metrics collection after publishing: early, while the post gathers its first reactions. */
  firstMetricsAfterMs: number;
}

export const DEFAULT_PUBLISHER: PublisherOptions = {
  batch: 200,
  concurrency: 64,
  maxAttempts: 5,
  backoffMs: 5_000,
  stuckAfterMs: 5 * 60_000,
  firstMetricsAfterMs: 5_000,
};

export interface Attempt {
  postId: string;
  organisationId: string;
  platform: string;
  connector: ConnectorName;
  idempotencyKey: string;
  attempts: number;
  content: string;
  baseUrl: string | null;
  credentials: Buffer | null;
  assets: { id: string; mediaType: string; fileName: string; storageKey: string }[];
}

export interface PublisherDeps {
  db: Db;
  logger: Logger;
  dataDir: string;
  connectors: Record<ConnectorName, Connector>;
  secrets: () => Promise<SecretBox>;
  options: PublisherOptions;
  /** Batches successes into shared transactions (successBatcher); one transaction each without it. */
  storeSuccess?: (item: { a: Attempt; result: PublishResult }) => Promise<boolean>;
  /** Test hook: called after every stored outcome. */
  onSettled?: (postId: string, status: 'published' | 'failed' | 'retry') => void;
}

/** Everything the connector needs for the given posts' current attempts. */
async function loadAttempts(tx: Tx, ids: string[]): Promise<Attempt[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    organisation_id: string;
    platform: string;
    connector: ConnectorName;
    idempotency_key: string;
    attempts: number;
    content: string;
    base_url: string | null;
    credentials: Buffer | null;
  }>`
    SELECT p.id, p.organisation_id, r.code AS platform, pp.connector, pp.idempotency_key, pp.attempts, p.content,
           ca.base_url, ca.credentials
    FROM scheduled_posts p
    JOIN post_publishing pp ON pp.scheduled_post_id = p.id
    JOIN reference_data r ON r.id = p.platform_id
    LEFT JOIN connector_accounts ca ON ca.organisation_id = p.organisation_id AND ca.platform = r.code
    WHERE p.id = ANY(${`{${ids.join(',')}}`}::uuid[])`.execute(tx);
  // Loaded with the claim rather than per attempt: one query per batch instead of a
  // transaction per post.
  const assets = await tx
    .selectFrom('post_assets as pa')
    .innerJoin('assets as a', 'a.id', 'pa.asset_id')
    .select(['a.id', 'a.media_type', 'a.file_name', 'a.storage_key', 'pa.scheduled_post_id'])
    .where('pa.scheduled_post_id', 'in', ids)
    .orderBy('pa.position')
    .execute();
  return rows.map((r) => ({
    assets: assets
      .filter((x) => x.scheduled_post_id === r.id)
      .map((x) => ({ id: x.id, mediaType: x.media_type, fileName: x.file_name, storageKey: x.storage_key })),
    postId: r.id,
    organisationId: r.organisation_id,
    platform: r.platform,
    connector: r.connector,
    idempotencyKey: r.idempotency_key,
    attempts: r.attempts,
    content: r.content,
    baseUrl: r.base_url,
    credentials: r.credentials,
  }));
}

const idList = (ids: string[]) => `{${ids.join(',')}}`;

/** Which due posts a claim may take: the given ones (their jobs ran), or any due this long ago. */
export type DueFilter = { ids: string[] } | { overdueMs: number };

/** Moves due posts to publishing and opens their first attempt; one transaction. */
export async function claimDue(db: Db, limit: number, filter: DueFilter = { overdueMs: 0 }): Promise<Attempt[]> {
  if (limit <= 0) return [];
  // Loaded (and cached per process) before the transaction: on PGlite's single connection a
  // query outside the open transaction would wait for it forever.
  const ref = await referenceData(db);
  const which =
    'ids' in filter
      ? sql`id = ANY(${idList(filter.ids)}::uuid[]) AND scheduled_at <= now()`
      : sql`scheduled_at <= now() - make_interval(secs => ${filter.overdueMs / 1000})`;
  return withSystem(db, async (tx) => {
    // Every move goes through the post writer's batch form, which checks it against the
    // move table like any other; the claim itself stays one statement per batch.
    const { rows: due } = await sql<PostRow>`
      SELECT * FROM scheduled_posts
      WHERE status = 'scheduled' AND ${which}
      ORDER BY scheduled_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`.execute(tx);
    const rows = await moveBySystem(
      tx,
      due,
      'publishing',
      async (ids) =>
        (
          await sql<PostRow>`
            UPDATE scheduled_posts SET status = 'publishing', failure_reason = NULL, status_reason = NULL, updated_by = NULL
            WHERE id = ANY(${idList(ids)}::uuid[])
            RETURNING *`.execute(tx)
        ).rows,
      { ref },
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    await sql`
      INSERT INTO post_publishing (scheduled_post_id, organisation_id, connector, idempotency_key, attempts, started_at)
      SELECT p.id, p.organisation_id, coalesce(ca.connector, 'sandbox'), gen_random_uuid(), 1, now()
      FROM scheduled_posts p
      JOIN reference_data r ON r.id = p.platform_id
      LEFT JOIN connector_accounts ca ON ca.organisation_id = p.organisation_id AND ca.platform = r.code
      WHERE p.id = ANY(${idList(ids)}::uuid[])
      ON CONFLICT (scheduled_post_id) DO UPDATE SET
        connector = excluded.connector, idempotency_key = excluded.idempotency_key, attempts = 1,
        started_at = now(), next_attempt_at = NULL, last_error = NULL, metrics_next_at = NULL`.execute(tx);
    return loadAttempts(tx, ids);
  });
}

/** Re-opens attempts whose backoff has passed (the post stayed publishing meanwhile). */
export async function claimRetries(db: Db, limit: number, ids?: string[]): Promise<Attempt[]> {
  if (limit <= 0) return [];
  const which = ids ? sql`AND q.scheduled_post_id = ANY(${idList(ids)}::uuid[])` : sql``;
  return withSystem(db, async (tx) => {
    const { rows } = await sql<{ scheduled_post_id: string }>`
      UPDATE post_publishing pp SET started_at = now(), attempts = pp.attempts + 1, next_attempt_at = NULL
      FROM (
        SELECT q.scheduled_post_id FROM post_publishing q
        JOIN scheduled_posts p ON p.id = q.scheduled_post_id AND p.status = 'publishing'
        WHERE q.started_at IS NULL AND q.next_attempt_at <= now() ${which}
        ORDER BY q.next_attempt_at
        LIMIT ${limit}
        FOR UPDATE OF q SKIP LOCKED
      ) d
      WHERE pp.scheduled_post_id = d.scheduled_post_id
      RETURNING pp.scheduled_post_id`.execute(tx);
    return loadAttempts(
      tx,
      rows.map((r) => r.scheduled_post_id),
    );
  });
}

/**
 * Calls gathered for `waitMs` (or until `max` of them) and run as one: `run` answers each
 * item's outcome in order, and a rejected outcome fails only its own caller.
 */
function gathered<I, O>(run: (items: I[]) => Promise<Array<O | Promise<O>>>, waitMs: number, max: number) {
  let pending: { item: I; done: (o: O | Promise<O>) => void; fail: (err: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = async () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      const out = await run(batch.map((b) => b.item));
      for (const [i, b] of batch.entries()) b.done(out[i]!);
    } catch (err) {
      for (const b of batch) b.fail(err);
    }
  };
  return (item: I) =>
    new Promise<O>((done, fail) => {
      pending.push({ item, done, fail });
      if (pending.length >= max) void flush();
      else timer ??= setTimeout(() => void flush(), waitMs);
    });
}

/**
 * Claims for the publish jobs running on this node, gathered into one transaction: a burst of
 * due jobs then costs a commit on the change feed per batch, not per post. Answers each post's
 * attempt, or undefined when there is nothing to do (it was rescheduled, cancelled or claimed
 * elsewhere). A post asked for twice in a batch gets its attempt once.
 */
export function claimBatcher(db: Db, waitMs = 5, max = 200) {
  return gathered<string, Attempt | undefined>(
    async (batch) => {
      const ids = [...new Set(batch)];
      const due = await claimDue(db, ids.length, { ids });
      const rest = ids.filter((id) => !due.some((a) => a.postId === id));
      const retries = rest.length ? await claimRetries(db, rest.length, rest) : [];
      const byId = new Map([...due, ...retries].map((a) => [a.postId, a]));
      return batch.map((id) => {
        const a = byId.get(id);
        byId.delete(id);
        return a;
      });
    },
    waitMs,
    max,
  );
}

/**
 * Takes over attempts whose node died (started long ago, never settled), and posts that are
 * publishing with no attempt at all (written straight to the table). Each becomes a fresh
 * attempt with the same idempotency key, so re-publishing settles it without a duplicate.
 */
export async function claimStuck(db: Db, limit: number, stuckAfterMs: number): Promise<Attempt[]> {
  if (limit <= 0) return [];
  return withSystem(db, async (tx) => {
    const cutoff = new Date(Date.now() - stuckAfterMs);
    const { rows } = await sql<{ scheduled_post_id: string }>`
      UPDATE post_publishing pp SET started_at = now(), attempts = pp.attempts + 1,
        last_error = 'The node handling the previous attempt stopped before storing its outcome'
      FROM (
        SELECT q.scheduled_post_id FROM post_publishing q
        JOIN scheduled_posts p ON p.id = q.scheduled_post_id AND p.status = 'publishing'
        WHERE q.started_at < ${cutoff}
        ORDER BY q.started_at
        LIMIT ${limit}
        FOR UPDATE OF q SKIP LOCKED
      ) d
      WHERE pp.scheduled_post_id = d.scheduled_post_id
      RETURNING pp.scheduled_post_id`.execute(tx);
    const { rows: orphans } = await sql<{ id: string }>`
      INSERT INTO post_publishing (scheduled_post_id, organisation_id, connector, idempotency_key, attempts, started_at)
      SELECT p.id, p.organisation_id, coalesce(ca.connector, 'sandbox'), gen_random_uuid(), 1, now()
      FROM (
        SELECT id FROM scheduled_posts p
        WHERE p.status = 'publishing' AND p.updated_at < ${cutoff}
          AND NOT EXISTS (SELECT 1 FROM post_publishing q WHERE q.scheduled_post_id = p.id)
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      ) o
      JOIN scheduled_posts p ON p.id = o.id
      JOIN reference_data r ON r.id = p.platform_id
      LEFT JOIN connector_accounts ca ON ca.organisation_id = p.organisation_id AND ca.platform = r.code
      ON CONFLICT (scheduled_post_id) DO NOTHING
      RETURNING scheduled_post_id AS id`.execute(tx);
    return loadAttempts(tx, [...rows.map((r) => r.scheduled_post_id), ...orphans.map((r) => r.id)]);
  });
}

function backoff(base: number, attempt: number): number {
  const raw = Math.min(10 * 60_000, base * 2 ** (attempt - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

type Success = { a: Attempt; result: PublishResult };

/**
 * Stores successes, each only if its attempt is still the post's current one; answers the ids
 * stored. Many at once: every change-feed write of one organisation commits in seq order, so
 * the number of commits — not rows — bounds how fast a burst of due posts can go live.
 */
async function storePublished(deps: PublisherDeps, items: Success[]): Promise<Set<string>> {
  const ref = await referenceData(deps.db);
  return withSystem(deps.db, async (tx) => {
    const list = (xs: string[]) => `{${xs.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
    const byId = new Map(items.map((i) => [i.a.postId, i]));
    // The posts still publishing under these very attempts, locked; the others were settled elsewhere.
    const { rows: current } = await sql<PostRow>`
      SELECT p.* FROM scheduled_posts p
      JOIN unnest(${list(items.map((i) => i.a.postId))}::uuid[], ${list(items.map((i) => i.a.idempotencyKey))}::uuid[]) AS v(id, key)
        ON p.id = v.id
      WHERE p.status = 'publishing'
        AND EXISTS (SELECT 1 FROM post_publishing q WHERE q.scheduled_post_id = v.id AND q.idempotency_key = v.key)
      FOR UPDATE OF p`.execute(tx);
    const rows = await moveBySystem(
      tx,
      current,
      'published',
      async (ids) => {
        const done = ids.map((id) => byId.get(id)!);
        return (
          await sql<PostRow>`
            UPDATE scheduled_posts p SET status = 'published', published_at = v.at, external_id = v.eid, external_url = v.url,
              failure_reason = NULL, updated_by = NULL
            FROM unnest(${list(ids)}::uuid[],
                        ${list(done.map((i) => (i.result.publishedAt ?? new Date()).toISOString()))}::timestamptz[],
                        ${list(done.map((i) => i.result.externalId))}::text[], ${list(done.map((i) => i.result.externalUrl))}::text[])
              AS v(id, at, eid, url)
            WHERE p.id = v.id
            RETURNING p.*`.execute(tx)
        ).rows;
      },
      { ref },
    );
    if (rows.length === 0) return new Set<string>();
    const ids = rows.map((r) => r.id);
    await sql`
      UPDATE post_publishing SET started_at = NULL, next_attempt_at = NULL, last_error = NULL,
        metrics_next_at = now() + make_interval(secs => ${deps.options.firstMetricsAfterMs / 1000})
      WHERE scheduled_post_id = ANY(${idList(ids)}::uuid[])`.execute(tx);
    return new Set(ids);
  });
}

/**
 * Successes gathered into one transaction. If a batch fails, each is tried alone so one bad
 * row cannot sink the others.
 */
export function successBatcher(deps: PublisherDeps, waitMs = 10, max = 200) {
  const storedOne = (item: Success) => storePublished(deps, [item]).then((ids) => ids.has(item.a.postId));
  return gathered<Success, boolean>(
    async (items) => {
      try {
        const stored = await storePublished(deps, items);
        return items.map((i) => stored.has(i.a.postId));
      } catch {
        return items.map(storedOne);
      }
    },
    waitMs,
    max,
  );
}

/** Stores a failure: a retry later, or the post failed with the reason. */
async function storeFailure(deps: PublisherDeps, a: Attempt, err: PublishError): Promise<'failed' | 'retry' | 'stale'> {
  const final = !err.transient || a.attempts >= deps.options.maxAttempts;
  const ref = await referenceData(deps.db);
  return withSystem(deps.db, async (tx) => {
    // The attempt number guards against a slow attempt overwriting the one that took it over.
    const mine = await sql<{ n: number }>`
      SELECT 1 AS n FROM post_publishing q JOIN scheduled_posts p ON p.id = q.scheduled_post_id
      WHERE q.scheduled_post_id = ${a.postId} AND q.idempotency_key = ${a.idempotencyKey}
        AND q.attempts = ${a.attempts} AND p.status = 'publishing'
      FOR UPDATE OF q, p`.execute(tx);
    if (mine.rows.length === 0) return 'stale';
    if (!final) {
      await sql`
        UPDATE post_publishing SET started_at = NULL, last_error = ${err.message},
          next_attempt_at = now() + make_interval(secs => ${backoff(deps.options.backoffMs, a.attempts) / 1000})
        WHERE scheduled_post_id = ${a.postId}`.execute(tx);
      return 'retry';
    }
    const reason = err.transient ? `${err.message} (gave up after ${a.attempts} attempts)` : err.message;
    const { rows: current } = await sql<PostRow>`SELECT * FROM scheduled_posts WHERE id = ${a.postId}`.execute(tx);
    await moveBySystem(
      tx,
      current,
      'failed',
      async () =>
        (
          await sql<PostRow>`
            UPDATE scheduled_posts SET status = 'failed', failure_reason = ${reason.slice(0, 2000)}, updated_by = NULL
            WHERE id = ${a.postId} RETURNING *`.execute(tx)
        ).rows,
      { ref },
    );
    await sql`UPDATE post_publishing SET started_at = NULL, next_attempt_at = NULL, last_error = ${err.message}
              WHERE scheduled_post_id = ${a.postId}`.execute(tx);
    return 'failed';
  });
}

async function accountOf(deps: PublisherDeps, a: Attempt): Promise<ConnectorAccount> {
  if (!a.credentials) return { baseUrl: a.baseUrl, credentials: null };
  const box = await deps.secrets();
  return { baseUrl: a.baseUrl, credentials: JSON.parse(box.open(a.credentials)) as Record<string, string> };
}

/** Hands one attempt to its connector and stores the outcome. Never throws. */
export async function runAttempt(deps: PublisherDeps, a: Attempt, signal?: AbortSignal): Promise<void> {
  const log = deps.logger.child({ postId: a.postId, attempt: a.attempts, connector: a.connector });
  let outcome: PublishResult | PublishError;
  try {
    const connector = deps.connectors[a.connector];
    if (!connector) throw new PublishError(`No connector named ${a.connector}`, { transient: false });
    outcome = await connector.publish(
      {
        id: a.postId,
        organisationId: a.organisationId,
        platform: a.platform,
        content: a.content,
        assets: a.assets,
      },
      {
        idempotencyKey: a.idempotencyKey,
        account: await accountOf(deps, a),
        db: deps.db,
        dataDir: deps.dataDir,
        signal,
      },
    );
  } catch (err) {
    outcome =
      err instanceof PublishError
        ? err
        : new PublishError(`Publishing failed unexpectedly: ${(err as Error)?.message ?? String(err)}`, {
            transient: true,
            cause: err,
          });
  }
  if (signal?.aborted) return; // shutting down: the sweeper on some node settles it
  try {
    if (outcome instanceof PublishError) {
      const r = await storeFailure(deps, a, outcome);
      log.info({ result: r, err: outcome.message }, 'publish attempt failed');
      if (r !== 'stale') deps.onSettled?.(a.postId, r);
    } else if (
      await (deps.storeSuccess ?? ((x: Success) => storePublished(deps, [x]).then((ids) => ids.has(x.a.postId))))({
        a,
        result: outcome,
      })
    ) {
      log.debug({ externalId: outcome.externalId }, 'published');
      deps.onSettled?.(a.postId, 'published');
    }
  } catch (err) {
    // The sweeper will take the attempt over once it is old enough.
    log.error({ err }, 'could not store the publish outcome');
  }
}
