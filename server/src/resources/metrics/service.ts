import { randomBytes } from 'node:crypto';
import { isUuid } from '@chorus/domain';
import { sql } from 'kysely';
import type { Tx } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { fromDbError } from '../common.ts';
import type { SnapshotInput } from './schema.ts';

export interface StoredSnapshot {
  postId: string;
  campaignId: string;
  capturedAt: string;
  likes: number;
  shares: number;
  comments: number;
  impressions: number;
}

// The shape z.iso.datetime({offset: true}) accepts; the database still rejects impossible dates.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
/** Snapshots this far ahead of the server clock are refused: one would pin `latest` for good. */
export const FUTURE_SLACK_MS = 24 * 3_600_000;
/** No snapshot, and no series window, reaches before this: it keeps every date one PostgreSQL and JavaScript agree on. */
export const EARLIEST_MS = Date.UTC(1970, 0, 1);

function invalid(path: string, message: string): never {
  throw new Problem('validation_failed', 'A snapshot is not valid', { errors: [{ path, message }] });
}

/**
 * Checks every snapshot and lays them out as PostgreSQL array literals, one per column. The
 * collector calls ingestSnapshots without the HTTP schema, so the checks live here; they are
 * also what makes joining the values into literals safe (no quoting is ever needed).
 */
function columns(snapshots: SnapshotInput[]) {
  const n = snapshots.length;
  const ids = new Array<string>(n);
  const posts = new Array<string>(n);
  const times = new Array<string>(n);
  const counts = {
    likes: new Array<number>(n),
    shares: new Array<number>(n),
    comments: new Array<number>(n),
    impressions: new Array<number>(n),
  };
  const latest = Date.now() + FUTURE_SLACK_MS;
  const stamp = uuidV7Batch(n);
  for (let i = 0; i < n; i++) {
    const s = snapshots[i]!;
    if (typeof s.postId !== 'string' || !isUuid(s.postId)) invalid(`snapshots.${i}.postId`, 'Expected a UUID');
    if (typeof s.capturedAt !== 'string' || !INSTANT.test(s.capturedAt))
      invalid(`snapshots.${i}.capturedAt`, 'Expected an ISO-8601 date-time with an offset');
    const at = Date.parse(s.capturedAt);
    if (!(at <= latest && at >= EARLIEST_MS))
      invalid(`snapshots.${i}.capturedAt`, 'Not a valid date-time, before 1970, or more than a day in the future');
    for (const k of ['likes', 'shares', 'comments', 'impressions'] as const) {
      const v = s[k];
      if (!Number.isSafeInteger(v) || v < 0) invalid(`snapshots.${i}.${k}`, 'Expected a non-negative integer');
      counts[k][i] = v;
    }
    ids[i] = stamp(i);
    posts[i] = s.postId;
    times[i] = s.capturedAt;
  }
  const lit = (a: Array<string | number>) => `{${a.join(',')}}`;
  return {
    ids: lit(ids),
    posts: lit(posts),
    times: lit(times),
    likes: lit(counts.likes),
    shares: lit(counts.shares),
    comments: lit(counts.comments),
    impressions: lit(counts.impressions),
  };
}

/**
 * Time-ordered (version 7) ids for one batch: all share the batch's millisecond and rise with
 * the index. Random (v4) ids would land all over the primary-key index, and on a large table
 * every touched leaf page costs a full-page image in the WAL; these append at its right edge.
 */
export function uuidV7Batch(n: number): (i: number) => string {
  const ms = Date.now().toString(16).padStart(12, '0');
  const rand = randomBytes(8 * Math.max(n, 1));
  return (i) => {
    // 12 bits of sequence in rand_a keep the batch ordered; 62 random bits follow.
    const seq = (i & 0xfff).toString(16).padStart(3, '0');
    const hi = ((rand.readUInt16BE(i * 8) & 0x3fff) | 0x8000).toString(16);
    const lo = rand.toString('hex', i * 8 + 2, i * 8 + 8);
    return `${ms.slice(0, 8)}-${ms.slice(8)}-7${seq}-${hi}-${lo}`;
  };
}

interface InsertedRow {
  post_id: string;
  captured_at: string;
  likes: number;
  shares: number;
  comments: number;
  impressions: number;
}

/**
 * Stores snapshots in one statement — an INSERT … SELECT over unnest() of one array per column —
 * skipping any (post, capture time) already stored, including repeats within the batch. A post
 * the caller cannot see is refused before anything is written (422 naming its index). Used by
 * POST /metrics and by the metrics collector; returns the rows actually stored.
 */
export async function ingestSnapshots(
  tx: Tx,
  actor: { organisationId: string; actorId: string | null },
  snapshots: SnapshotInput[],
): Promise<{ accepted: number; duplicates: number; inserted: StoredSnapshot[] }> {
  if (snapshots.length === 0) return { accepted: 0, duplicates: 0, inserted: [] };
  const cols = columns(snapshots);
  const distinct = [...new Set(snapshots.map((s) => s.postId.toLowerCase()))];
  const visible = await sql<{ id: string; campaign_id: string }>`
    SELECT id, campaign_id FROM scheduled_posts WHERE id = ANY(${`{${distinct.join(',')}}`}::uuid[])
  `.execute(tx);
  const campaignOf = new Map(visible.rows.map((p) => [p.id, p.campaign_id]));
  if (campaignOf.size < distinct.length) {
    const bad = snapshots.findIndex((s) => !campaignOf.has(s.postId.toLowerCase()));
    throw new Problem('unprocessable', 'A snapshot names a post that does not exist in your organisation', {
      errors: [{ path: `snapshots.${bad}.postId`, message: 'Unknown post' }],
    });
  }
  let rows: InsertedRow[];
  try {
    // to_char keeps the answer a plain ISO string: parsing 10,000 timestamps into Dates and
    // back would cost more than the insert's RETURNING itself.
    ({ rows } = await sql<InsertedRow>`
      INSERT INTO post_metrics (id, organisation_id, scheduled_post_id, captured_at, likes, shares, comments, impressions, created_by, updated_by)
      SELECT t.id, ${actor.organisationId}::uuid, t.post_id, t.captured_at, t.likes, t.shares, t.comments, t.impressions,
             ${actor.actorId}::uuid, ${actor.actorId}::uuid
      FROM unnest(${cols.ids}::uuid[], ${cols.posts}::uuid[], ${cols.times}::timestamptz[], ${cols.likes}::bigint[],
                  ${cols.shares}::bigint[], ${cols.comments}::bigint[], ${cols.impressions}::bigint[])
        AS t(id, post_id, captured_at, likes, shares, comments, impressions)
      ON CONFLICT (scheduled_post_id, captured_at) DO NOTHING
      RETURNING scheduled_post_id AS post_id,
                to_char(captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS captured_at,
                likes, shares, comments, impressions
    `.execute(tx));
  } catch (err) {
    fromDbError(err, { check: 'A snapshot holds a value the database refuses (an impossible date?)' });
  }
  const inserted: StoredSnapshot[] = rows.map((r) => ({
    postId: r.post_id,
    campaignId: campaignOf.get(r.post_id)!,
    capturedAt: r.captured_at,
    likes: r.likes,
    shares: r.shares,
    comments: r.comments,
    impressions: r.impressions,
  }));
  return { accepted: inserted.length, duplicates: snapshots.length - inserted.length, inserted };
}

export interface Range {
  from: Date;
  to: Date;
  interval: 'hour' | 'day';
}

const LIMITS = { hour: 93 * 86_400_000, day: 5 * 366 * 86_400_000 };

/** Defaults to the last 30 days and bounds the window so no request is unbounded. */
export function rangeOf(q: { from?: string; to?: string; interval: 'hour' | 'day' }): Range {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
  for (const [path, d] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (Number.isNaN(d.getTime()) || d.getTime() < EARLIEST_MS || d.getUTCFullYear() > 9999)
      throw new Problem('validation_failed', `\`${path}\` is not a valid date-time from 1970 to 9999`, {
        errors: [{ path, message: 'Invalid date-time' }],
      });
  }
  if (from >= to)
    throw new Problem('validation_failed', '`from` must be before `to`', {
      errors: [{ path: 'from', message: 'Not before `to`' }],
    });
  if (to.getTime() - from.getTime() > LIMITS[q.interval]) {
    throw new Problem(
      'validation_failed',
      `At most ${q.interval === 'hour' ? '93 days of hours' : '5 years of days'} per request`,
      {
        errors: [{ path: 'from', message: 'Range too long for this interval' }],
      },
    );
  }
  return { from, to, interval: q.interval };
}

type Point = { at: string; likes: number; shares: number; comments: number; impressions: number };
type Row = { post_id: string; at: Date; likes: number; shares: number; comments: number; impressions: number };

const point = (at: Date | string, r: Omit<Point, 'at'>): Point => ({
  at: typeof at === 'string' ? at : at.toISOString(),
  likes: Number(r.likes),
  shares: Number(r.shares),
  comments: Number(r.comments),
  impressions: Number(r.impressions),
});

/** Each post's latest snapshot per bucket (counts are cumulative), from the covering index. */
async function buckets(tx: Tx, postIds: string[], range: Range): Promise<Row[]> {
  if (postIds.length === 0) return [];
  // One literal expression, so DISTINCT ON and ORDER BY match (three parameters would not).
  const bucket = sql`date_trunc(${sql.lit(range.interval)}, captured_at, 'UTC')`;
  const r = await sql<Row>`
    SELECT DISTINCT ON (scheduled_post_id, ${bucket})
           scheduled_post_id AS post_id, ${bucket} AS at,
           likes, shares, comments, impressions
    FROM post_metrics
    WHERE scheduled_post_id = ANY(${postIds}::uuid[]) AND captured_at >= ${range.from} AND captured_at < ${range.to}
    ORDER BY scheduled_post_id, ${bucket}, captured_at DESC
  `.execute(tx);
  return r.rows;
}

/** The newest snapshot of each post at or before `before` (all time when absent). */
async function latestOf(tx: Tx, postIds: string[], before?: Date): Promise<Row[]> {
  if (postIds.length === 0) return [];
  const r = await sql<Row>`
    SELECT p.id AS post_id, m.captured_at AS at, m.likes, m.shares, m.comments, m.impressions
    FROM unnest(${postIds}::uuid[]) AS p(id)
    CROSS JOIN LATERAL (
      SELECT captured_at, likes, shares, comments, impressions FROM post_metrics pm
      WHERE pm.scheduled_post_id = p.id ${before ? sql`AND pm.captured_at < ${before}` : sql``}
      ORDER BY captured_at DESC LIMIT 1
    ) m
  `.execute(tx);
  return r.rows;
}

export async function postSeries(tx: Tx, postId: string, range: Range) {
  const post = await tx.selectFrom('scheduled_posts').select('id').where('id', '=', postId).executeTakeFirst();
  if (!post) throw new Problem('not_found', 'No such post');
  const rows = await buckets(tx, [postId], range);
  const [latest] = await latestOf(tx, [postId]);
  return { series: rows.map((r) => point(r.at, r)), latest: latest ? point(latest.at, latest) : null };
}

/**
 * A campaign's series: for every bucket in which any of its posts has a snapshot, the sum over
 * its posts of each post's latest value at or before the end of that bucket.
 *
 * Why carry forward: counts are cumulative and collectors poll posts at different rates (old
 * posts rarely). Summing only the posts that happen to have a snapshot in a bucket would make
 * the campaign's totals drop whenever a post was not polled — a dip that never happened. Each
 * post instead contributes its counts as they last stood (seeded from before `from`), and a post
 * with no snapshot yet contributes zero. Buckets in which no post was polled are left out rather
 * than padded: the totals did not change there, and clients draw steps between points.
 */
export async function campaignSeries(tx: Tx, campaignId: string, range: Range) {
  const campaign = await tx.selectFrom('campaigns').select('id').where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) throw new Problem('not_found', 'No such campaign');
  const postIds = (
    await tx.selectFrom('scheduled_posts').select('id').where('campaign_id', '=', campaignId).execute()
  ).map((p) => p.id);
  const [rows, seeds, latest] = [
    await buckets(tx, postIds, range),
    await latestOf(tx, postIds, range.from),
    await latestOf(tx, postIds),
  ];
  const current = new Map<string, Omit<Point, 'at'>>(seeds.map((s) => [s.post_id, point(s.at, s)]));
  const byBucket = new Map<string, Row[]>();
  for (const r of rows) {
    const k = r.at.toISOString();
    byBucket.set(k, [...(byBucket.get(k) ?? []), r]);
  }
  const series: Point[] = [];
  for (const at of [...byBucket.keys()].sort()) {
    for (const r of byBucket.get(at)!) current.set(r.post_id, point(r.at, r));
    const sum = { likes: 0, shares: 0, comments: 0, impressions: 0 };
    for (const v of current.values()) {
      sum.likes += v.likes;
      sum.shares += v.shares;
      sum.comments += v.comments;
      sum.impressions += v.impressions;
    }
    series.push({ at, ...sum });
  }
  const total = { likes: 0, shares: 0, comments: 0, impressions: 0 };
  let newest = 0;
  for (const r of latest) {
    newest = Math.max(newest, r.at.getTime());
    total.likes += Number(r.likes);
    total.shares += Number(r.shares);
    total.comments += Number(r.comments);
    total.impressions += Number(r.impressions);
  }
  // latest: every post's newest snapshot summed, dated by the newest of them.
  return { series, latest: latest.length ? point(new Date(newest), total) : null };
}
