import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Role } from '@chorus/domain';
import { sql } from 'kysely';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../auth/password.ts';
import { requireGoodPassword } from '../../auth/password-policy.ts';
import type { Db } from '../../db/connect.ts';
import { type Tx, withSystem, withTenant } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { recordChange } from '../../realtime/changes.ts';
import { checkClientIds, INVITE_TTL_MS, mailInvitation, meUser } from '../accounts/service.ts';
import { fromDbError } from '../common.ts';
import { getOrganisation } from '../organisation/service.ts';
import { referenceData } from '../reference-data/service.ts';
import { getUser } from '../users/service.ts';

const emailKey = (email: string) => email.trim().toLowerCase();

type RegisterInput = { organisationName: string; name: string; email: string; password: string; industry?: string };

class AddressTaken extends Error {}

/**
 * Creates the organisation and its owner. `created: false` when the address already has an
 * account: nothing is created (the transaction rolls back), and the caller answers exactly as
 * for a new account (see alreadyRegistered) so sign-up cannot be used to learn who has one.
 */
export async function register(db: Db, input: RegisterInput) {
  requireGoodPassword(input.password, input.email);
  const passwordHash = await hashPassword(input.password);
  const orgId = randomUUID();
  const userId = randomUUID();
  try {
    const made = await withTenant(db, orgId, async (tx) => {
      const ref = await referenceData(tx);
      const industry = input.industry === undefined ? null : ref.id('industry', input.industry, 'industry');
      try {
        await tx
          .insertInto('organisations')
          .values({
            id: orgId,
            name: input.organisationName,
            industry_id: industry,
            subscription_tier_id: ref.id('subscription_tier', 'free', 'subscriptionTier'),
          })
          .execute();
        await tx
          .insertInto('users')
          .values({
            id: userId,
            organisation_id: orgId,
            email: input.email.trim(),
            name: input.name,
            password_hash: passwordHash,
            role_id: ref.id('user_role', 'owner', 'role'),
            created_by: userId,
            updated_by: userId,
          })
          .execute();
        await tx
          .updateTable('organisations')
          .set({ created_by: userId, updated_by: userId, version: 1 })
          .where('id', '=', orgId)
          .execute();
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw new AddressTaken();
        fromDbError(err);
      }
      return { user: (await getUser(tx, userId))!, organisation: (await getOrganisation(tx, orgId))! };
    });
    return { created: true as const, ...made };
  } catch (err) {
    if (err instanceof AddressTaken) return { created: false as const, ...alreadyRegistered(input) };
    throw err;
  }
}

/**
 * The answer for an address that already has an account: the same shape, fields and timing as
 * a real registration (the password was hashed just the same), but nothing exists behind it and
 * its token signs nobody in.
 */
export function alreadyRegistered(input: RegisterInput) {
  const now = new Date().toISOString();
  const userId = randomUUID();
  const orgId = randomUUID();
  const audit = (id: string) => ({
    id,
    createdAt: now,
    updatedAt: now,
    createdBy: userId,
    updatedBy: userId,
    version: 1,
  });
  return {
    user: {
      ...audit(userId),
      organisationId: orgId,
      email: input.email.trim(),
      name: input.name,
      role: 'owner' as const,
      isActive: true,
      clientIds: [],
    },
    organisation: {
      ...audit(orgId),
      name: input.organisationName,
      industry: input.industry ?? null,
      subscriptionTier: 'free',
    },
  };
}

// Throttling: at most 5 password checks per account in 15 minutes. The check is reserved with
// one atomic upsert *before* the hash is computed, so parallel guesses are counted too; a
// success clears the count. Unknown addresses are counted the same way, so a 429 reveals nothing.
export const LOGIN_CHECKS_PER_WINDOW = 5;
const WINDOW_MS = 15 * 60_000;

async function reserveCheck(db: Db, key: string, now: Date): Promise<{ allowed: boolean; retryAfterS: number }> {
  const expired = new Date(now.getTime() - WINDOW_MS);
  const row = await withSystem(db, async (tx) => {
    const { rows } = await sql<{ failures: number; first_failure_at: Date }>`
      INSERT INTO login_attempts AS a (email_key, failures, first_failure_at, updated_at) VALUES (${key}, 1, ${now}, ${now})
      ON CONFLICT (email_key) DO UPDATE SET
        failures = CASE WHEN a.first_failure_at <= ${expired} THEN 1 ELSE a.failures + 1 END,
        first_failure_at = CASE WHEN a.first_failure_at <= ${expired} THEN ${now} ELSE a.first_failure_at END,
        updated_at = ${now}
      RETURNING failures, first_failure_at`.execute(tx);
    return rows[0]!;
  });
  const ends = new Date(row.first_failure_at).getTime() + WINDOW_MS;
  return {
    allowed: row.failures <= LOGIN_CHECKS_PER_WINDOW,
    retryAfterS: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)),
  };
}

/** Counts password hashes computed by login (tests read it to prove the throttle holds). */
export const loginStats = { passwordChecks: 0 };

export async function login(db: Db, email: string, password: string, now = new Date()) {
  const key = emailKey(email);
  const reserved = await reserveCheck(db, key, now);
  if (!reserved.allowed) {
    throw new Problem(
      'rate_limited',
      `Too many failed sign-in attempts for this account; try again in ${reserved.retryAfterS} s`,
      {
        headers: { 'Retry-After': String(reserved.retryAfterS) },
      },
    );
  }
  const user = await withSystem(db, (tx) =>
    tx
      .selectFrom('users')
      .select(['id', 'organisation_id', 'password_hash', 'is_active'])
      .where(sql`lower(email)`, '=', key)
      .executeTakeFirst(),
  );
  let ok = false;
  loginStats.passwordChecks++;
  if (user) ok = await verifyPassword(user.password_hash, password);
  // Unknown addresses cost the same time as known ones, so timing does not reveal accounts.
  else await burnPasswordCheck(password);
  if (!ok || !user?.is_active) {
    throw new Problem('invalid_credentials', 'The e-mail address or password is not right');
  }
  await withSystem(db, (tx) => tx.deleteFrom('login_attempts').where('email_key', '=', key).execute());
  return { userId: user.id, organisationId: user.organisation_id };
}

export async function me(tx: Tx, userId: string, organisationId: string) {
  return { user: await meUser(tx, userId), organisation: (await getOrganisation(tx, organisationId))! };
}

// ------------------------------------------------------------------------------------------
// Invitations: the token is "<id>.<secret>", only SHA-256(secret) is stored, 7 days to accept.
// ------------------------------------------------------------------------------------------

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export async function invite(
  tx: Tx,
  actor: { userId: string; organisationId: string; role: Role },
  email: string,
  role: Role | 'client',
  clientIds?: string[],
) {
  if (role === 'owner' && actor.role !== 'owner') throw new Problem('forbidden', 'Only owners may invite owners');
  if (role === 'client' && !clientIds?.length) {
    throw new Problem('validation_failed', 'A client member needs the clients it may see', {
      errors: [{ path: 'clientIds', message: 'Required for role client' }],
    });
  }
  if (role !== 'client' && clientIds !== undefined) {
    throw new Problem('validation_failed', 'Only client members are limited to clients', {
      errors: [{ path: 'clientIds', message: 'Only for role client' }],
    });
  }
  const clients = await checkClientIds(tx, clientIds ?? []);
  const ref = await referenceData(tx);
  const taken = await withEmail(tx, email);
  if (taken) throw new Problem('conflict', 'That e-mail address already has an account');
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
  await tx
    .insertInto('invitations')
    .values({
      id,
      organisation_id: actor.organisationId,
      email: email.trim(),
      role_id: ref.id('user_role', role, 'role'),
      secret_hash: sha256(secret),
      expires_at: expiresAt,
      client_ids: clients,
      created_by: actor.userId,
      updated_by: actor.userId,
    })
    .execute();
  const token = `${id}.${secret}`;
  await mailInvitation(tx, actor, { email: email.trim(), role, token });
  return { id, email: email.trim(), role, clientIds: clients, token, expiresAt: expiresAt.toISOString() };
}

async function withEmail(tx: Tx, email: string) {
  // E-mail is unique platform-wide but RLS hides other organisations' users: email_taken()
  // (migration 0008) answers just this one yes/no across tenants.
  const row = await sql<{ taken: boolean }>`SELECT email_taken(${email}) AS taken`.execute(tx);
  return row.rows[0]?.taken === true;
}

export async function acceptInvitation(db: Db, token: string, name: string, password: string) {
  const [id, secret] = token.split('.');
  const bad = () =>
    new Problem('unprocessable', 'This invitation is not valid or has expired', {
      errors: [{ path: 'token', message: 'Invalid or expired' }],
    });
  if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) throw bad();
  const invitation = await withSystem(db, (tx) =>
    tx.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst(),
  );
  if (
    !invitation ||
    invitation.accepted_at ||
    invitation.revoked_at ||
    invitation.expires_at < new Date() ||
    !timingSafeEqual(sha256(secret), invitation.secret_hash)
  ) {
    throw bad();
  }
  requireGoodPassword(password, invitation.email);
  const passwordHash = await hashPassword(password);
  const userId = randomUUID();
  return withTenant(db, invitation.organisation_id, async (tx) => {
    // Claim the invitation first so two concurrent acceptances cannot both create a user.
    const claimed = await tx
      .updateTable('invitations')
      .set({ accepted_at: new Date() })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (claimed.numUpdatedRows !== 1n) throw bad();
    try {
      await tx
        .insertInto('users')
        .values({
          id: userId,
          organisation_id: invitation.organisation_id,
          email: invitation.email,
          name,
          password_hash: passwordHash,
          role_id: invitation.role_id,
          created_by: invitation.created_by,
          updated_by: userId,
        })
        .execute();
    } catch (err) {
      fromDbError(err, { unique: 'An account with this e-mail address already exists' });
    }
    await tx.updateTable('invitations').set({ accepted_by: userId }).where('id', '=', id).execute();
    // A client member sees the invitation's clients (those still there).
    if (invitation.client_ids.length > 0) {
      await tx
        .insertInto('client_members')
        .columns(['organisation_id', 'user_id', 'client_id'])
        .expression((eb) =>
          eb
            .selectFrom('clients')
            .select([eb.val(invitation.organisation_id).as('organisation_id'), eb.val(userId).as('user_id'), 'id'])
            .where('id', 'in', invitation.client_ids),
        )
        .execute();
    }
    const user = (await getUser(tx, userId))!;
    await recordChange(tx, {
      organisationId: invitation.organisation_id,
      entity: 'user',
      op: 'insert',
      id: userId,
      data: user,
      actorId: userId,
    });
    return { user, organisation: (await getOrganisation(tx, invitation.organisation_id))! };
  });
}
