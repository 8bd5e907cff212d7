import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { isUuid, type Role } from '@chorus/domain';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { withSystem } from '../db/tenant.ts';

/**
 * Sessions in the design lucia-auth.com teaches: the token is "<id>.<secret>", the database
 * keeps only SHA-256(secret), the comparison is constant-time, and the expiry slides forward
 * when a session is used in the second half of its life.
 */

export interface SessionUser {
  sessionId: string;
  userId: string;
  organisationId: string;
  role: Role;
  name: string;
  email: string;
  expiresAt: Date;
}

const DAY = 86_400_000;

function sha256(data: string): Buffer {
  return createHash('sha256').update(data).digest();
}

export async function createSession(
  db: Db,
  user: { id: string; organisationId: string },
  ttlDays: number,
  userAgent?: string | null,
): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlDays * DAY);
  await withSystem(db, (tx) =>
    tx
      .insertInto('sessions')
      .values({
        id,
        organisation_id: user.organisationId,
        user_id: user.id,
        secret_hash: sha256(secret),
        expires_at: expiresAt,
        user_agent: userAgent ? userAgent.slice(0, 512) : null,
        created_by: user.id,
        updated_by: user.id,
      })
      .execute(),
  );
  return { token: `${id}.${secret}`, expiresAt, sessionId: id };
}

const SEEN_EVERY_MS = 60_000;
const lastSeenWritten = new Map<string, number>();
function rememberSeen(id: string, at: number) {
  // Bounded: forgetting an entry only costs one extra write.
  if (lastSeenWritten.size >= 10_000) lastSeenWritten.clear();
  lastSeenWritten.set(id, at);
}

/** The session's user, or null when the token is malformed, unknown, expired or its user inactive. */
export async function validateSessionToken(
  db: Db,
  token: string,
  ttlDays: number,
  now: Date = new Date(),
): Promise<SessionUser | null> {
  const dot = token.indexOf('.');
  if (dot < 0 || token.length > 200) return null;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!isUuid(id) || secret.length === 0) return null;
  const { rows } = await sql<{
    id: string;
    secret_hash: Buffer;
    expires_at: Date;
    user_id: string;
    organisation_id: string;
    name: string;
    email: string;
    is_active: boolean;
    role: string;
  }>`SELECT * FROM session_lookup(${id})`.execute(db);
  const row = rows[0];
  if (!row) return null;
  if (!timingSafeEqual(sha256(secret), row.secret_hash)) return null;
  if (!row.is_active || row.expires_at.getTime() <= now.getTime()) {
    await invalidateSession(db, id);
    return null;
  }
  let expiresAt = row.expires_at;
  const slide = expiresAt.getTime() - now.getTime() < (ttlDays * DAY) / 2;
  if (slide) expiresAt = new Date(now.getTime() + ttlDays * DAY);
  // "Last seen" (for the member's list of sessions) is written at most once a minute per
  // session and node, so it costs no write on most requests.
  const seen = lastSeenWritten.get(id);
  const touch = seen === undefined || now.getTime() - seen > SEEN_EVERY_MS;
  if (slide || touch) {
    if (touch) rememberSeen(id, now.getTime());
    await withSystem(db, (tx) =>
      tx
        .updateTable('sessions')
        .set({ ...(slide ? { expires_at: expiresAt } : {}), last_seen_at: now })
        .where('id', '=', id)
        .execute(),
    );
  }
  return {
    sessionId: row.id,
    userId: row.user_id,
    organisationId: row.organisation_id,
    role: row.role as Role,
    name: row.name,
    email: row.email,
    expiresAt,
  };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await withSystem(db, (tx) => tx.deleteFrom('sessions').where('id', '=', sessionId).execute());
}

export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
  await withSystem(db, (tx) => tx.deleteFrom('sessions').where('user_id', '=', userId).execute());
}

/**
 * Of the given session ids, those still valid now. Long-lived connections (sockets, collab)
 * call this in one batch every few seconds so a logout or deactivation on any node reaches
 * them without a message bus.
 */
export async function liveSessionIds(db: Db, ids: string[], now: Date = new Date()): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await withSystem(db, (tx) =>
    tx
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select('s.id')
      .where('s.id', 'in', ids)
      .where('s.expires_at', '>', now)
      .where('u.is_active', '=', true)
      .execute(),
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Of the given session ids, those still valid now, with their member's current role and
 * name: open collab sessions follow a role change or a rename without a reconnect.
 */
export async function liveSessions(
  db: Db,
  ids: string[],
  now: Date = new Date(),
): Promise<Map<string, { role: Role; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await withSystem(db, (tx) =>
    tx
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('reference_data as r', 'r.id', 'u.role_id')
      .select(['s.id', 'r.code as role', 'u.name'])
      .where('s.id', 'in', ids)
      .where('s.expires_at', '>', now)
      .where('u.is_active', '=', true)
      .execute(),
  );
  return new Map(rows.map((r) => [r.id, { role: r.role as Role, name: r.name }]));
}
