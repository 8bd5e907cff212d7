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
  };
}
export type UserDto = ReturnType<typeof userDto>;

function base(tx: Kysely<DB>) {
  return tx.selectFrom('users as u').innerJoin('reference_data as r', 'r.id', 'u.role_id').select(columns);
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
