import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { type Caller, withSystem, withTenant } from '../db/tenant.ts';
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
  /** For deletes a client member could have seen: seq → that client (see visibleChanges). */
  scopes: Map<number, string>;
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
  const scopes = new Map<number, string>();
  if (after > head) return { changes: [], scopes, head, resync: true };
  if (after === head) return { changes: [], scopes, head, resync: false };
  const page = rows.filter((r) => r.seq !== null);
  // Retention removed what the client still needed: a partial history would be a lie.
  if (page.length === 0 || Number(page[0]!.seq) !== after + 1) return { changes: [], scopes, head, resync: true };
  return {
    changes: page.map((r) => {
      const seq = Number(r.seq);
      // A delete's stored data is its client scope, not a resource: it is never sent.
      const scope = r.op === 'delete' ? (r.data as { clientId?: string } | null)?.clientId : undefined;
      if (scope) scopes.set(seq, scope);
      return {
        seq,
        entity: r.entity as ChangeEntity,
        op: r.op as ChangeOp,
        id: r.entity_id,
        ...(r.data === null || r.op === 'delete' ? {} : { data: r.data }),
        actorId: r.actor_id,
        at: new Date(r.at).toISOString(),
      };
    }),
    scopes,
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

/** How long a head read for one request may answer the next ones. */
const HEAD_REUSE_MS = 500;
const recentHeads = new WeakMap<Db, Map<string, { at: number; seq: Promise<number> }>>();

/**
 * headSeq for the X-Chorus-Seq header of reads, shared by the reads of one organisation within
 * HEAD_REUSE_MS (and by concurrent ones). A head read a little earlier is still a safe place to
 * join: every change up to it is in the answer's state, and a client that applies a few changes
 * after it that the state already reflects converges to the same rows. It spares every
 * authenticated GET a query.
 */
export function recentHeadSeq(db: Db, organisationId: string): Promise<number> {
  let heads = recentHeads.get(db);
  if (!heads) {
    heads = new Map();
    recentHeads.set(db, heads);
  }
  const now = performance.now();
  const hit = heads.get(organisationId);
  if (hit && now - hit.at < HEAD_REUSE_MS) return hit.seq;
  // Anyone can register an organisation: keep the map to the ones read lately.
  if (heads.size >= 1024) for (const [k, v] of heads) if (now - v.at >= HEAD_REUSE_MS) heads.delete(k);
  const entry = { at: now, seq: headSeq(db, organisationId) };
  heads.set(organisationId, entry);
  entry.seq.catch(() => heads.get(organisationId) === entry && heads.delete(organisationId));
  return entry.seq;
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

const TABLES = {
  client: 'clients',
  campaign: 'campaigns',
  post: 'scheduled_posts',
  note: 'notes',
  asset: 'assets',
} as const;

/**
 * Of a page of changes, those a client member may receive: rows its row-level security shows
 * now, its own user row and the organisation, and deletes of what it could see (`scopes`: the
 * client each such delete was recorded for, among the clients it may see now). Team members
 * receive everything.
 */
export async function visibleChanges(
  db: Db,
  caller: Caller,
  changes: Change[],
  scopes: Map<number, string> = new Map(),
): Promise<Change[]> {
  if (caller.role !== 'client' || changes.length === 0) return changes;
  const wanted = new Map<keyof typeof TABLES, string[]>();
  const scopeClients = new Set<string>();
  for (const c of changes) {
    if (c.op === 'delete') {
      const scope = scopes.get(c.seq);
      if (scope) scopeClients.add(scope);
      continue;
    }
    if (!(c.entity in TABLES)) continue;
    const key = c.entity as keyof typeof TABLES;
    wanted.set(key, [...(wanted.get(key) ?? []), c.id]);
  }
  if (scopeClients.size) wanted.set('client', [...(wanted.get('client') ?? []), ...scopeClients]);
  const seen = new Set<string>();
  await withTenant(db, caller, async (tx) => {
    for (const [entity, ids] of wanted) {
      const rows = await tx
        .selectFrom(TABLES[entity])
        .select('id')
        .where('id', 'in', [...new Set(ids)])
        .execute();
      for (const r of rows) seen.add(`${entity}:${r.id}`);
    }
  });
  return changes.filter((c) => {
    if (c.entity === 'organisation') return true;
    if (c.entity === 'user') return c.id === caller.userId && c.op !== 'delete';
    if (c.op === 'delete') return seen.has(`client:${scopes.get(c.seq)}`);
    return seen.has(`${c.entity}:${c.id}`);
  });
}
