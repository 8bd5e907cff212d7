import { can, type Role } from '@chorus/domain';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Tx } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { recordChange } from '../../realtime/changes.ts';
import {
  auditOf,
  createdCursor,
  currentOrganisation,
  encodeCursor,
  fromDbError,
  lockForUpdate,
  micros,
  toPage,
} from '../common.ts';
import { referenceData } from '../reference-data/service.ts';

const columns = [
  'u.id',
  'u.organisation_id',
  'u.email',
  'u.name',
  'u.is_active',
  'r.code as role',
  'u.created_at',
  'u.updated_at',
  'u.created_by',
  'u.updated_by',
  'u.version',
] as const;

type UserRow = {
  client_ids: string[] | null;
  id: string;
  organisation_id: string;
  email: string;
  name: string;
  is_active: boolean;
  role: string;
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
  updated_by: string | null;
  version: number;
};

export function userDto(r: UserRow) {
  return {
    ...auditOf(r),
    organisationId: r.organisation_id,
    email: r.email,
    name: r.name,
    role: r.role as Role,
    isActive: r.is_active,
    clientIds: r.client_ids ?? [],
  };
}
export type UserDto = ReturnType<typeof userDto>;

function base(tx: Kysely<DB>) {
  return tx
    .selectFrom('users as u')
    .innerJoin('reference_data as r', 'r.id', 'u.role_id')
    .select(columns)
    .select(
      sql<
        string[]
      >`(SELECT array_agg(m.client_id ORDER BY m.client_id) FROM client_members m WHERE m.user_id = u.id)`.as(
        'client_ids',
      ),
    );
}

export async function getUser(tx: Tx, id: string): Promise<UserDto | undefined> {
  const row = await base(tx).where('u.id', '=', id).executeTakeFirst();
  return row && userDto(row);
}

export async function listUsers(tx: Tx, q: { limit: number; cursor?: string }) {
  const after = createdCursor(q.cursor);
  let query = base(tx)
    .select(micros('u.created_at').as('created_us'))
    .where('u.organisation_id', '=', currentOrganisation)
    .orderBy('u.created_at')
    .orderBy('u.id')
    .limit(q.limit + 1);
  if (after) query = query.where(sql<boolean>`(u.created_at, u.id) > (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query.execute();
  return toPage(
    rows,
    q.limit,
    (r) => userDto(r),
    (r) => encodeCursor(r.created_us, r.id),
  );
}

export interface UserPatch {
  role?: Role;
  isActive?: boolean;
  name?: string;
  clientIds?: string[];
}

/**
 * Role and activity changes, with the rules of docs/roles.md: admins manage non-owners, only owners
 * make or demote owners, and an organisation always keeps one active owner.
 */
export async function updateUser(
  tx: Tx,
  actor: { userId: string; organisationId: string; role: Role },
  id: string,
  patch: UserPatch,
  expectedVersion: number | undefined,
): Promise<UserDto> {
  const current = await lockForUpdate(
    () => base(tx).where('u.id', '=', id).forUpdate('u').executeTakeFirst(),
    'member',
    expectedVersion,
  );
  const self = id === actor.userId;
  const touchesAccess = (patch.role !== undefined && patch.role !== current.role) || patch.isActive !== undefined;
  if (patch.name !== undefined && !self && !can(actor.role, 'org:manage')) {
    throw new Problem('forbidden', 'Only owners and admins may rename other members');
  }
  if (touchesAccess) {
    if (!can(actor.role, 'org:manage'))
      throw new Problem('forbidden', `Your role (${actor.role}) may not change members' access`);
    const ownerInvolved = current.role === 'owner' || patch.role === 'owner';
    if (ownerInvolved && !can(actor.role, 'org:own'))
      throw new Problem('forbidden', 'Only owners may make or demote owners');
  }
  if (patch.clientIds !== undefined) {
    if (!can(actor.role, 'org:manage'))
      throw new Problem('forbidden', `Your role (${actor.role}) may not change members' access`);
    if ((patch.role ?? current.role) !== 'client')
      throw new Problem('validation_failed', 'Only client members have clients', {
        errors: [{ path: 'clientIds', message: 'Only for role client' }],
      });
  }
  if (patch.role === 'client' && current.role !== 'client')
    throw new Problem('validation_failed', 'A team member cannot become a client member; invite one instead', {
      errors: [{ path: 'role', message: 'Invite client members' }],
    });
  const losesOwner =
    current.role === 'owner' &&
    current.is_active &&
    ((patch.role !== undefined && patch.role !== 'owner') || patch.isActive === false);
  if (losesOwner) {
    // Lock the organisation's owners so two concurrent demotions cannot both pass this check.
    const owners = await tx
      .selectFrom('users as u')
      .innerJoin('reference_data as r', 'r.id', 'u.role_id')
      .select('u.id')
      .where('r.code', '=', 'owner')
      .where('u.is_active', '=', true)
      .forUpdate('u')
      .execute();
    if (owners.length <= 1) throw new Problem('conflict', 'The organisation must keep at least one active owner');
  }
  const ref = await referenceData(tx);
  try {
    await tx
      .updateTable('users')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.isActive !== undefined ? { is_active: patch.isActive } : {}),
        ...(patch.role !== undefined ? { role_id: ref.id('user_role', patch.role, 'role') } : {}),
        updated_by: actor.userId,
      })
      .where('id', '=', id)
      .execute();
  } catch (err) {
    fromDbError(err);
  }
  if (patch.clientIds !== undefined) await setClientMembership(tx, actor.organisationId, id, patch.clientIds);
  // Deactivation ends every session at once (in this transaction, so it commits with the change).
  if (patch.isActive === false) await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
  const user = (await getUser(tx, id))!;
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'user',
    op: 'update',
    id,
    data: user,
    actorId: actor.userId,
  });
  return user;
}

/** Replaces the clients a client member sees; an id outside the organisation answers 422. */
async function setClientMembership(tx: Tx, organisationId: string, userId: string, clientIds: string[]) {
  const unique = [...new Set(clientIds)];
  const found = unique.length ? await tx.selectFrom('clients').select('id').where('id', 'in', unique).execute() : [];
  const known = new Set(found.map((r) => r.id));
  const missing = clientIds.findIndex((id) => !known.has(id));
  if (missing >= 0) {
    throw new Problem('unprocessable', 'A client in clientIds does not exist in your organisation', {
      errors: [{ path: `clientIds.${missing}`, message: 'Unknown client' }],
    });
  }
  await tx.deleteFrom('client_members').where('user_id', '=', userId).execute();
  if (unique.length) {
    await tx
      .insertInto('client_members')
      .values(unique.map((client_id) => ({ organisation_id: organisationId, user_id: userId, client_id })))
      .execute();
  }
}
