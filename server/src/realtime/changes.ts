import { EventEmitter } from 'node:events';
import { onCommit, type Tx } from '../db/tenant.ts';

export type ChangeEntity = 'organisation' | 'user' | 'client' | 'campaign' | 'post' | 'note' | 'asset';
export type ChangeOp = 'insert' | 'update' | 'delete';

export interface ChangeInput {
  organisationId: string;
  entity: ChangeEntity;
  op: ChangeOp;
  id: string;
  /** The resource as GET answers it; absent for deletes. */
  data?: unknown;
  actorId: string | null;
}

/**
 * Records a change in the caller's transaction, so it commits (or not) with the write itself.
 * The sequencer numbers it once it is committed (./sequencer.ts), which keeps seq order equal
 * to commit order without any lock shared between writers.
 */
/** Emits 'committed' in this process after a transaction that recorded changes commits. */
export const changeEvents = new EventEmitter();
changeEvents.setMaxListeners(0);

export function recordChange(tx: Tx, c: ChangeInput): Promise<void> {
  return recordChanges(tx, [c]);
}

/** Several changes in one statement, in the given order. */
export async function recordChanges(tx: Tx, list: ChangeInput[]): Promise<void> {
  if (list.length === 0) return;
  await tx
    .insertInto('changes')
    .values(
      list.map((c) => ({
        organisation_id: c.organisationId,
        entity: c.entity,
        op: c.op,
        entity_id: c.id,
        data: c.data === undefined ? null : JSON.stringify(c.data),
        actor_id: c.actorId,
      })),
    )
    .execute();
  // Wakes this process's sequencer right after commit; other processes poll or hear NOTIFY
  // from whichever sequencer numbers the row. No per-write NOTIFY: its commit-time lock
  // would serialise every writer in the cluster.
  onCommit(tx, () => changeEvents.emit('committed'));
}
