import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { withSystem } from '../db/tenant.ts';
import type { ChangeEntity, ChangeOp } from './changes.ts';

export interface Change {
  seq: number;
  entity: ChangeEntity;
  op: ChangeOp;
  id: string;
  data?: unknown;
  actorId: string | null;
  at: string;
}

export interface FeedPage {
  changes: Change[];
  /** The organisation's newest seq (0 before its first change). */
  head: number;
  /** The client asked from a point the retained history no longer covers: refetch instead. */
  resync: boolean;
}

/** Changes of one organisation after `after`, in seq order: one statement (migrations/0011). */
export async function readChanges(db: Db, organisationId: string, after: number, limit: number): Promise<FeedPage> {
  const { rows } = await sql<{
    head: string;
    seq: string | null;
    entity: string;
    op: string;
    entity_id: string;
    data: unknown;
    actor_id: string | null;
    at: Date | string;
  }>`SELECT * FROM chorus_feed_page(${organisationId}::uuid, ${after}::bigint, ${limit}::int)`.execute(db);
  const head = Number(rows[0]?.head ?? 0);
  if (after > head) return { changes: [], head, resync: true };
  if (after === head) return { changes: [], head, resync: false };
  const page = rows.filter((r) => r.seq !== null);
  // Retention removed what the client still needed: a partial history would be a lie.
  if (page.length === 0 || Number(page[0]!.seq) !== after + 1) return { changes: [], head, resync: true };
  return {
    changes: page.map((r) => ({
      seq: Number(r.seq),
      entity: r.entity as ChangeEntity,
      op: r.op as ChangeOp,
      id: r.entity_id,
      ...(r.data === null ? {} : { data: r.data }),
      actorId: r.actor_id,
      at: new Date(r.at).toISOString(),
    })),
    head,
    resync: false,
  };
}

/**
 * Response header on every authenticated GET: the organisation's head seq, read before the
 * answer's state, so every change up to it is reflected in the answer.
 */
export const FEED_HEAD_HEADER = 'X-Chorus-Seq';

/** The organisation's newest seq: the head chorus_feed_page answers with an empty page. */
export async function headSeq(db: Db, organisationId: string): Promise<number> {
  return (await readChanges(db, organisationId, 0, 0)).head;
}

/** Drops history older than the retention window; clients further behind are told to resync. */
export async function pruneChanges(db: Db, days: number): Promise<number> {
  const res = await withSystem(db, (tx) =>
    tx
      .deleteFrom('changes')
      .where('at', '<', sql<Date>`now() - make_interval(days => ${Math.ceil(days)})`)
      .executeTakeFirst(),
  );
  return Number(res.numDeletedRows);
}
