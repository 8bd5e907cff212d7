import type { ApprovalPolicy } from '@chorus/domain';
import { type Selectable, sql } from 'kysely';
import type { Clients } from '../../db/schema.ts';
import type { Tx } from '../../db/tenant.ts';
import { Problem } from '../../http/problem.ts';
import { recordChange } from '../../realtime/changes.ts';
import { type AssetFile, deleteWithCascade } from '../cascade.ts';
import {
  type Actor,
  auditOf,
  currentOrganisation,
  decodeCursor,
  encodeCursor,
  fromDbError,
  lockForUpdate,
  toPage,
} from '../common.ts';
import type { ClientCreateInput, ClientPatchInput } from './schema.ts';

export function clientDto(r: Selectable<Clients>) {
  return {
    ...auditOf(r),
    name: r.name,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    isActive: r.is_active,
    approvalPolicy: r.approval_policy as ApprovalPolicy,
  };
}
export type ClientDto = ReturnType<typeof clientDto>;

const NAME_TAKEN = 'A client with this name already exists';

export async function listClients(tx: Tx, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor);
  let query = tx
    .selectFrom('clients')
    .selectAll()
    .where('organisation_id', '=', currentOrganisation)
    .orderBy('name')
    .orderBy('id')
    .limit(q.limit + 1);
  if (after) query = query.where(sql<boolean>`(name, id) > (${String(after.key)}, ${after.id}::uuid)`);
  return toPage(await query.execute(), q.limit, clientDto, (r) => encodeCursor(r.name, r.id));
}

export async function getClient(tx: Tx, id: string): Promise<ClientDto> {
  const row = await tx.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Problem('not_found', 'No such client');
  return clientDto(row);
}

export async function createClient(tx: Tx, actor: Actor, input: ClientCreateInput): Promise<ClientDto> {
  let row: Selectable<Clients>;
  try {
    row = await tx
      .insertInto('clients')
      .values({
        organisation_id: actor.organisationId,
        name: input.name,
        contact_name: input.contactName ?? null,
        contact_email: input.contactEmail ?? null,
        contact_phone: input.contactPhone ?? null,
        is_active: input.isActive ?? true,
        approval_policy: input.approvalPolicy ?? 'team',
        created_by: actor.userId,
        updated_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    fromDbError(err, { unique: NAME_TAKEN });
  }
  const dto = clientDto(row);
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'client',
    op: 'insert',
    id: dto.id,
    data: dto,
    actorId: actor.userId,
  });
  return dto;
}

export async function updateClient(
  tx: Tx,
  actor: Actor,
  id: string,
  patch: ClientPatchInput,
  expectedVersion?: number,
) {
  await lockForUpdate(
    () => tx.selectFrom('clients').select('version').where('id', '=', id).forUpdate().executeTakeFirst(),
    'client',
    expectedVersion,
  );
  let row: Selectable<Clients>;
  try {
    row = await tx
      .updateTable('clients')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.contactName !== undefined ? { contact_name: patch.contactName } : {}),
        ...(patch.contactEmail !== undefined ? { contact_email: patch.contactEmail } : {}),
        ...(patch.contactPhone !== undefined ? { contact_phone: patch.contactPhone } : {}),
        ...(patch.isActive !== undefined ? { is_active: patch.isActive } : {}),
        ...(patch.approvalPolicy !== undefined ? { approval_policy: patch.approvalPolicy } : {}),
        updated_by: actor.userId,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    fromDbError(err, { unique: NAME_TAKEN });
  }
  const dto = clientDto(row);
  await recordChange(tx, {
    organisationId: actor.organisationId,
    entity: 'client',
    op: 'update',
    id,
    data: dto,
    actorId: actor.userId,
  });
  return dto;
}

export function deleteClient(tx: Tx, actor: Actor, id: string): Promise<AssetFile[]> {
  return deleteWithCascade(tx, actor, { clientId: id });
}
