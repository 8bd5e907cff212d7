import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Role } from '@chorus/domain';
import { sql } from 'kysely';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../auth/password.ts';
import type { Db } from '../../db/connect.ts';
import { type Tx, withSystem, withTenant } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { recordChange } from '../../realtime/changes.ts';
import { fromDbError } from '../common.ts';
import { getOrganisation } from '../organisation/service.ts';
import { referenceData } from '../reference-data/service.ts';
import { getUser } from '../users/service.ts';

const emailKey = (email: string) => email.trim().toLowerCase();

export async function register(
  db: Db,
  input: { organisationName: string; name: string; email: string; password: string; industry?: string },
) {
  const passwordHash = await hashPassword(input.password);
  const orgId = randomUUID();
  const userId = randomUUID();
  return withTenant(db, orgId, async (tx) => {
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
      fromDbError(err, { unique: 'An account with this e-mail address already exists' });
    }
    return { user: (await getUser(tx, userId))!, organisation: (await getOrganisation(tx, orgId))! };
  });
}

// Throttling: 5 failures in 15 minutes lock the address for 30 s, doubling with each further
// failure up to 15 minutes. Unknown addresses are counted the same way, so a 429 reveals nothing.
const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const MAX_LOCK_MS = 15 * 60_000;

export async function login(db: Db, email: string, password: string, now = new Date()) {
  const key = emailKey(email);
  const state = await withSystem(db, (tx) =>
    tx.selectFrom('login_attempts').select(['locked_until']).where('email_key', '=', key).executeTakeFirst(),
  );
  if (state?.locked_until && state.locked_until > now) {
    const retry = Math.ceil((state.locked_until.getTime() - now.getTime()) / 1000);
    throw new Problem('rate_limited', 'Too many failed sign-in attempts; try again later', {
      headers: { 'Retry-After': String(retry) },
    });
  }
  const user = await withSystem(db, (tx) =>
    tx
      .selectFrom('users')
      .select(['id', 'organisation_id', 'password_hash', 'is_active'])
      .where(sql`lower(email)`, '=', key)
      .executeTakeFirst(),
  );
  let ok = false;
  if (user) ok = await verifyPassword(user.password_hash, password);
  // Unknown addresses cost the same time as known ones, so timing does not reveal accounts.
  else await burnPasswordCheck(password);
  if (!ok || !user?.is_active) {
    await recordFailure(db, key, now);
    throw new Problem('invalid_credentials', 'The e-mail address or password is not right');
  }
  await withSystem(db, (tx) => tx.deleteFrom('login_attempts').where('email_key', '=', key).execute());
  return { userId: user.id, organisationId: user.organisation_id };
}

async function recordFailure(db: Db, key: string, now: Date) {
  await withSystem(db, async (tx) => {
    const row = await tx
      .insertInto('login_attempts')
      .values({ email_key: key, failures: 1, first_failure_at: now, updated_at: now })
      .onConflict((oc) =>
        oc.column('email_key').doUpdateSet({
          // A quiet window starts the count again.
          failures: sql`CASE WHEN login_attempts.first_failure_at < ${new Date(now.getTime() - WINDOW_MS)} THEN 1 ELSE login_attempts.failures + 1 END`,
          first_failure_at: sql`CASE WHEN login_attempts.first_failure_at < ${new Date(now.getTime() - WINDOW_MS)} THEN ${now} ELSE login_attempts.first_failure_at END`,
          updated_at: now,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    if (row.failures >= FREE_FAILURES) {
      const lock = Math.min(30_000 * 2 ** (row.failures - FREE_FAILURES), MAX_LOCK_MS);
      await tx
        .updateTable('login_attempts')
        .set({ locked_until: new Date(now.getTime() + lock) })
        .where('email_key', '=', key)
        .execute();
    }
  });
}

export async function me(tx: Tx, userId: string, organisationId: string) {
  return { user: (await getUser(tx, userId))!, organisation: (await getOrganisation(tx, organisationId))! };
}

// ------------------------------------------------------------------------------------------
// Invitations: the token is "<id>.<secret>", only SHA-256(secret) is stored, 7 days to accept.
// ------------------------------------------------------------------------------------------

const INVITE_TTL_MS = 7 * 86_400_000;
const sha256 = (s: string) => createHash('sha256').update(s).digest();

export async function invite(
  tx: Tx,
  actor: { userId: string; organisationId: string; role: Role },
  email: string,
  role: Role,
) {
  if (role === 'owner' && actor.role !== 'owner') throw new Problem('forbidden', 'Only owners may invite owners');
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
      created_by: actor.userId,
      updated_by: actor.userId,
    })
    .execute();
  return { id, email: email.trim(), role, token: `${id}.${secret}`, expiresAt: expiresAt.toISOString() };
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
    invitation.expires_at < new Date() ||
    !timingSafeEqual(sha256(secret), invitation.secret_hash)
  ) {
    throw bad();
  }
  const passwordHash = await hashPassword(password);
  const userId = randomUUID();
  return withTenant(db, invitation.organisation_id, async (tx) => {
    // Claim the invitation first so two concurrent acceptances cannot both create a user.
    const claimed = await tx
      .updateTable('invitations')
      .set({ accepted_at: new Date() })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
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
