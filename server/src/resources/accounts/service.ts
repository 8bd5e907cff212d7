import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { isUuid } from '@chorus/domain';
import { sql } from 'kysely';
import { hashPassword, verifyPassword } from '../../auth/password.ts';
import { requireGoodPassword } from '../../auth/password-policy.ts';
import type { Db } from '../../db/connect.ts';
import { type Tx, withSystem, withTenant } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import { recordChange } from '../../realtime/changes.ts';
import { createdCursor, encodeCursor, micros, toPage } from '../common.ts';
import { getOrganisation } from '../organisation/service.ts';
import { getUser } from '../users/service.ts';

/**
 * Account self-service: mailed one-time tokens (password reset 1 h, magic link 15 min), the
 * signed-in member's profile, password and sessions, and the organisation's pending
 * invitations. Tokens are "<id>.<secret>" with only SHA-256(secret) stored, like sessions.
 */

export type TokenPurpose = 'password_reset' | 'magic_link';
export const TOKEN_TTL_MS: Record<TokenPurpose, number> = { password_reset: 3_600_000, magic_link: 15 * 60_000 };

type InvitationRoleCode = 'owner' | 'admin' | 'manager' | 'editor' | 'viewer' | 'client';
const sha256 = (s: string) => createHash('sha256').update(s).digest();

export const invalidToken = () => new Problem('invalid_token', 'This link is not valid any more: ask for a new one');

/**
 * Mails a one-time link to the account with this address, if there is one and it is active.
 * Answers nothing either way, so the caller cannot tell whether the address has an account.
 */
export async function mailAccountLink(db: Db, email: string, purpose: TokenPurpose, now = new Date()): Promise<void> {
  await withSystem(db, async (tx) => {
    const user = await tx
      .selectFrom('users')
      .select(['id', 'organisation_id', 'name', 'email'])
      .where(sql`lower(email)`, '=', email.trim().toLowerCase())
      .where('is_active', '=', true)
      .executeTakeFirst();
    if (!user) return;
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    await tx
      .insertInto('auth_tokens')
      .values({
        id,
        organisation_id: user.organisation_id,
        user_id: user.id,
        purpose,
        secret_hash: sha256(secret),
        expires_at: new Date(now.getTime() + TOKEN_TTL_MS[purpose]),
      })
      .execute();
    await enqueueMail(tx, [
      {
        organisationId: user.organisation_id,
        userId: user.id,
        to: user.email,
        data: { kind: purpose, token: `${id}.${secret}`, name: user.name },
      },
    ]);
  });
}

/** Uses a token once: answers its user, or throws invalid_token (unknown, used, expired, wrong kind). */
export async function useToken(tx: Tx, token: string, purpose: TokenPurpose, now = new Date()) {
  const dot = token.indexOf('.');
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (dot < 0 || !isUuid(id) || !secret) throw invalidToken();
  const row = await tx
    .selectFrom('auth_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.secret_hash', 't.user_id', 't.organisation_id', 't.expires_at', 't.purpose', 'u.is_active'])
    .where('t.id', '=', id)
    .forUpdate('t')
    .executeTakeFirst();
  if (
    !row ||
    row.purpose !== purpose ||
    !row.is_active ||
    new Date(row.expires_at) <= now ||
    !timingSafeEqual(sha256(secret), row.secret_hash)
  ) {
    throw invalidToken();
  }
  // Claiming with "used_at IS NULL" makes two simultaneous uses of one token end in one winner.
  const claimed = await tx
    .updateTable('auth_tokens')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (claimed.numUpdatedRows !== 1n) throw invalidToken();
  return { userId: row.user_id, organisationId: row.organisation_id };
}

export async function confirmPasswordReset(db: Db, token: string, password: string) {
  const passwordHash = await hashPassword(password);
  await withSystem(db, async (tx) => {
    const who = await useToken(tx, token, 'password_reset');
    const { email } = await tx
      .selectFrom('users')
      .select('email')
      .where('id', '=', who.userId)
      .executeTakeFirstOrThrow();
    // Throwing here rolls the token's use back, so a refused password leaves the link usable.
    requireGoodPassword(password, email);
    await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', who.userId).execute();
    await tx.deleteFrom('sessions').where('user_id', '=', who.userId).execute();
    // Every other reset link of this account dies with the password it was for.
    await tx
      .updateTable('auth_tokens')
      .set({ used_at: new Date() })
      .where('user_id', '=', who.userId)
      .where('purpose', '=', 'password_reset')
      .where('used_at', 'is', null)
      .execute();
  });
}

export function verifyMagicLink(db: Db, token: string) {
  return withSystem(db, (tx) => useToken(tx, token, 'magic_link'));
}

// ------------------------------------------------------------------------------------------
// The signed-in member
// ------------------------------------------------------------------------------------------

export async function meUser(tx: Tx, userId: string) {
  const user = await getUser(tx, userId);
  if (!user) throw new Problem('not_found');
  const row = await tx
    .selectFrom('users')
    .select('email_notifications')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return { ...user, emailNotifications: row.email_notifications };
}

export async function updateMe(
  tx: Tx,
  actor: { userId: string; organisationId: string },
  patch: { name?: string; emailNotifications?: boolean },
) {
  if (patch.name !== undefined || patch.emailNotifications !== undefined) {
    await tx
      .updateTable('users')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.emailNotifications !== undefined ? { email_notifications: patch.emailNotifications } : {}),
        updated_by: actor.userId,
      })
      .where('id', '=', actor.userId)
      .execute();
    const user = (await getUser(tx, actor.userId))!;
    await recordChange(tx, {
      organisationId: actor.organisationId,
      entity: 'user',
      op: 'update',
      id: actor.userId,
      data: user,
      actorId: actor.userId,
    });
  }
  return meUser(tx, actor.userId);
}

/** Changes the password after checking the current one; every other session of the member ends. */
export async function changePassword(
  db: Db,
  actor: { userId: string; organisationId: string; sessionId: string },
  currentPassword: string,
  newPassword: string,
) {
  const row = await withTenant(db, actor.organisationId, (tx) =>
    tx.selectFrom('users').select(['password_hash', 'email']).where('id', '=', actor.userId).executeTakeFirstOrThrow(),
  );
  if (!(await verifyPassword(row.password_hash, currentPassword))) {
    throw new Problem('forbidden', 'The current password is not right', {
      errors: [{ path: 'currentPassword', message: 'Not right' }],
    });
  }
  requireGoodPassword(newPassword, row.email, 'newPassword');
  const passwordHash = await hashPassword(newPassword);
  await withTenant(db, actor.organisationId, async (tx) => {
    await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', actor.userId).execute();
    await tx.deleteFrom('sessions').where('user_id', '=', actor.userId).where('id', '<>', actor.sessionId).execute();
  });
}

export async function listSessions(tx: Tx, actor: { userId: string; sessionId: string }) {
  const rows = await tx
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'user_agent'])
    .where('user_id', '=', actor.userId)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: new Date(r.created_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
    userAgent: r.user_agent,
    current: r.id === actor.sessionId,
  }));
}

export async function revokeSession(tx: Tx, actor: { userId: string }, id: string) {
  const gone = await tx
    .deleteFrom('sessions')
    .where('id', '=', id)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst();
  if (gone.numDeletedRows !== 1n) throw new Problem('not_found', 'No such session');
}

// ------------------------------------------------------------------------------------------
// Pending invitations
// ------------------------------------------------------------------------------------------

type InvitationRow = {
  id: string;
  email: string;
  role: string;
  client_ids: string[];
  expires_at: Date | string;
  created_at: Date | string;
  created_by: string | null;
};

function invitationDto(r: InvitationRow) {
  return {
    id: r.id,
    email: r.email,
    role: r.role as InvitationRoleCode,
    clientIds: r.client_ids,
    expiresAt: new Date(r.expires_at).toISOString(),
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
  };
}

function pending(tx: Tx) {
  return tx
    .selectFrom('invitations as i')
    .innerJoin('reference_data as r', 'r.id', 'i.role_id')
    .select(['i.id', 'i.email', 'r.code as role', 'i.client_ids', 'i.expires_at', 'i.created_at', 'i.created_by'])
    .where('i.accepted_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', new Date());
}

/** Pending invitations, newest first, a page at a time. */
export async function listInvitations(tx: Tx, q: { limit: number; cursor?: string }) {
  const after = createdCursor(q.cursor);
  let query = pending(tx)
    .select(micros('i.created_at').as('created_us'))
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(q.limit + 1);
  if (after) {
    const at = sql<Date>`${after.at}::timestamptz`;
    query = query.where((eb) =>
      eb.or([eb('i.created_at', '<', at), eb.and([eb('i.created_at', '=', at), eb('i.id', '<', after.id)])]),
    );
  }
  const rows = await query.execute();
  return toPage(rows, q.limit, invitationDto, (r) => encodeCursor(r.created_us, r.id));
}

export async function revokeInvitation(tx: Tx, actor: { userId: string }, id: string) {
  const r = await tx
    .updateTable('invitations')
    .set({ revoked_at: new Date(), updated_by: actor.userId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (r.numUpdatedRows !== 1n) throw new Problem('not_found', 'No such pending invitation');
}

/**
 * Mails an invitation again. Only a hash of the old link's secret is kept, so the mail holds a
 * new link and the old one stops working; the invitation gets a fresh 7 days.
 */
export async function resendInvitation(tx: Tx, actor: { userId: string; organisationId: string }, id: string) {
  const row = await pending(tx).where('i.id', '=', id).forUpdate('i').executeTakeFirst();
  if (!row) throw new Problem('not_found', 'No such pending invitation');
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
  await tx
    .updateTable('invitations')
    .set({ secret_hash: sha256(secret), expires_at: expiresAt, updated_by: actor.userId })
    .where('id', '=', id)
    .execute();
  const token = `${id}.${secret}`;
  await mailInvitation(tx, actor, { email: row.email, role: row.role, token });
  return { ...invitationDto({ ...row, expires_at: expiresAt }), token };
}

export const INVITE_TTL_MS = 7 * 86_400_000;

/** Queues the invitation mail in the inviting transaction. */
export async function mailInvitation(
  tx: Tx,
  actor: { userId: string; organisationId: string },
  invitation: { email: string; role: string; token: string },
) {
  const [organisation, inviter] = await Promise.all([
    getOrganisation(tx, actor.organisationId),
    tx.selectFrom('users').select('name').where('id', '=', actor.userId).executeTakeFirst(),
  ]);
  await enqueueMail(tx, [
    {
      organisationId: actor.organisationId,
      to: invitation.email,
      data: {
        kind: 'invitation',
        token: invitation.token,
        organisationName: organisation?.name ?? 'your team',
        inviterName: inviter?.name ?? 'Someone',
        role: invitation.role,
      },
    },
  ]);
}

/** Client ids named by an invitation must be the organisation's own clients (422 otherwise). */
export async function checkClientIds(tx: Tx, ids: string[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return unique;
  const found = await tx.selectFrom('clients').select('id').where('id', 'in', unique).execute();
  const known = new Set(found.map((f) => f.id));
  const i = unique.findIndex((id) => !known.has(id));
  if (i >= 0) {
    throw new Problem('unprocessable', 'A client in clientIds does not exist in your organisation', {
      errors: [{ path: `clientIds.${ids.indexOf(unique[i]!)}`, message: 'Unknown client' }],
    });
  }
  return unique;
}

export async function sessionAnswer(tx: Tx, userId: string, organisationId: string) {
  return { user: (await getUser(tx, userId))!, organisation: (await getOrganisation(tx, organisationId))! };
}
