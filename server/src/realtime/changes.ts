import { EventEmitter } from 'node:events';
import { runWithCommit } from '../db/commit-tail.ts';
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
  /**
   * For a delete: the client whose members could see the row, so their feeds tell them it
   * went (kept with the change, never sent). Absent for what client members never see.
   */
  clientId?: string | null;
}

/** Emits 'committed' in this process after a transaction that recorded changes commits. */
export const changeEvents = new EventEmitter();
changeEvents.setMaxListeners(0);

export function recordChange(tx: Tx, c: ChangeInput): Promise<void> {
  return recordChanges(tx, [c]);
}

/**
 * Records changes in the caller's transaction, so they commit (or not) with the write itself:
 * one statement into the outbox, in the given order. The sequencer moves them into the feed
 * with their seq once committed (./sequencer.ts, migrations/0013), which keeps seq order equal
 * to commit order without any lock shared between writers.
 */
export async function recordChanges(tx: Tx, list: ChangeInput[]): Promise<void> {
  if (list.length === 0) return;
  const insert = tx.insertInto('change_outbox').values(
    list.map((c) => ({
      organisation_id: c.organisationId,
      entity: c.entity,
      op: c.op,
      entity_id: c.id,
      // A delete carries no resource; its row keeps the client scope in `data` instead, which
      // readChanges() takes out before anyone is sent the change.
      data:
        c.op === 'delete'
          ? c.clientId
            ? JSON.stringify({ clientId: c.clientId })
            : null
          : c.data === undefined
            ? null
            : JSON.stringify(c.data),
      actor_id: c.actorId,
    })),
  );
  // Sent along with COMMIT where the driver can (one round trip fewer per write).
  if (!(await runWithCommit(tx, insert.compile()))) await insert.execute();
  // Wakes this process's sequencer right after commit; other processes poll or hear NOTIFY
  // from whichever sequencer numbers the row. No per-write NOTIFY: its commit-time lock
  // would serialise every writer in the cluster.
  onCommit(tx, () => changeEvents.emit('committed'));
}
