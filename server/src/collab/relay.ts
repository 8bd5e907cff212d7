import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from '../logger.ts';
import type { Fanout } from './fanout.ts';

/**
 * The node relay: a loaded document's updates and cursors go to the other nodes that have it
 * loaded, over its Redis channel (fanout.ts), and theirs come back. Nodes only apply what they
 * relay; each update is stored by the node whose client sent it.
 */

// Messages between nodes on the document's Redis channel.
const NODE_UPDATE = 1;
const NODE_AWARENESS = 2;
const NODE_HELLO = 3;

/** What the relay needs of the document it serves. */
export interface RelayTarget {
  readonly name: string;
  /** Whether messages are taken now (loaded, not unloading). */
  accepting(): boolean;
  applyRemoteUpdates(read: (apply: (update: Uint8Array) => void) => void, userId: string | null): void;
  applyRemoteAwareness(update: Uint8Array): void;
  stateVector(): Uint8Array;
  /** What this node holds that a node at state vector `sv` lacks. */
  diffFor(sv: Uint8Array): Uint8Array;
  /** This node's sessions' cursors, encoded, or undefined when there are none. */
  localAwareness(): Uint8Array | undefined;
}

export class NodeRelay {
  private readonly fanout: Fanout;
  private readonly target: RelayTarget;
  private readonly logger: Logger;

  constructor(fanout: Fanout, target: RelayTarget, logger: Logger) {
    this.fanout = fanout;
    this.target = target;
    this.logger = logger;
  }

  subscribe(): Promise<void> {
    return this.fanout.subscribe(this.target.name, this.onMessage);
  }

  unsubscribe(): Promise<void> {
    return this.fanout.unsubscribe(this.target.name);
  }

  /** Asks the other nodes for what they applied but have not stored yet, and their cursors. */
  hello() {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, NODE_HELLO);
    encoding.writeVarString(e, this.fanout.nodeId);
    encoding.writeVarUint8Array(e, this.target.stateVector());
    this.fanout.publish(this.target.name, encoding.toUint8Array(e));
  }

  publishUpdates(updates: Uint8Array[], userId: string | null) {
    this.fanout.publish(this.target.name, nodeUpdateMessage(this.fanout.nodeId, updates, userId));
  }

  publishAwareness(update: Uint8Array) {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, NODE_AWARENESS);
    encoding.writeVarString(e, this.fanout.nodeId);
    encoding.writeVarUint8Array(e, update);
    this.fanout.publish(this.target.name, encoding.toUint8Array(e));
  }

  /** A message from another node on this document's channel. */
  private onMessage = (data: Uint8Array) => {
    if (!this.target.accepting()) return;
    try {
      const dec = decoding.createDecoder(data);
      const type = decoding.readVarUint(dec);
      const from = decoding.readVarString(dec);
      if (from === this.fanout.nodeId) return;
      if (type === NODE_UPDATE) {
        const user = decoding.readVarString(dec);
        const n = decoding.readVarUint(dec);
        this.target.applyRemoteUpdates((apply) => {
          for (let i = 0; i < n; i++) apply(decoding.readVarUint8Array(dec));
        }, user || null);
      } else if (type === NODE_AWARENESS) {
        this.target.applyRemoteAwareness(decoding.readVarUint8Array(dec));
      } else if (type === NODE_HELLO) {
        const diff = this.target.diffFor(decoding.readVarUint8Array(dec));
        if (diff.length > 2) this.publishUpdates([diff], null);
        const mine = this.target.localAwareness();
        if (mine) this.publishAwareness(mine);
      }
    } catch (err) {
      this.logger.warn({ err, doc: this.target.name }, 'collab: bad message from another node');
    }
  };
}

/** Updates for the other nodes that have the document loaded; they apply, never store them. */
export function nodeUpdateMessage(nodeId: string, updates: Uint8Array[], userId: string | null): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, NODE_UPDATE);
  encoding.writeVarString(e, nodeId);
  encoding.writeVarString(e, userId ?? '');
  encoding.writeVarUint(e, updates.length);
  for (const u of updates) encoding.writeVarUint8Array(e, u);
  return encoding.toUint8Array(e);
}
