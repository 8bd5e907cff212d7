import { createClient } from 'redis';
import type { Logger } from '../logger.ts';

/**
 * How the nodes that have a document loaded reach each other: one Redis pub/sub channel per
 * document, plus a lease per document naming the one node that writes its text back.
 * Without REDIS_URL the single node is alone and always the writer.
 */
export interface Fanout {
  readonly nodeId: string;
  subscribe(doc: string, onMessage: (msg: Uint8Array) => void): Promise<void>;
  unsubscribe(doc: string): Promise<void>;
  publish(doc: string, msg: Uint8Array): void;
  /** Takes or renews the write-back lease of a document; true when this node holds it. */
  holdWriter(doc: string): Promise<boolean>;
  releaseWriter(doc: string): Promise<void>;
  /** Called after the subscriber reconnects (messages may have been missed meanwhile). */
  onReconnect(fn: () => void): void;
  close(): Promise<void>;
}

export function localFanout(nodeId: string): Fanout {
  return {
    nodeId,
    subscribe: async () => {},
    unsubscribe: async () => {},
    publish: () => {},
    holdWriter: async () => true,
    releaseWriter: async () => {},
    onReconnect: () => {},
    close: async () => {},
  };
}

const LEASE_MS = 15_000;
const HOLD = `
local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const channel = (doc: string) => `chorus:collab:${doc}`;
const leaseKey = (doc: string) => `chorus:collab-writer:${doc}`;

export async function redisFanout(url: string, nodeId: string, logger: Logger): Promise<Fanout> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  let lastError = 0;
  const onError = (err: unknown) => {
    // A reconnecting client reports every failed attempt; one line per few seconds is enough.
    if (Date.now() - lastError > 5_000) logger.warn({ err }, 'collab redis error');
    lastError = Date.now();
  };
  pub.on('error', onError);
  sub.on('error', onError);
  const reconnectHandlers: (() => void)[] = [];
  let ready = false;
  sub.on('ready', () => {
    if (ready) for (const fn of reconnectHandlers) fn();
    ready = true;
  });
  await Promise.all([pub.connect(), sub.connect()]);
  const listeners = new Map<string, (msg: Uint8Array) => void>();
  return {
    nodeId,
    async subscribe(doc, onMessage) {
      listeners.set(doc, onMessage);
      await sub.subscribe(
        channel(doc),
        (message: Buffer) => {
          listeners.get(doc)?.(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
        },
        true,
      );
    },
    async unsubscribe(doc) {
      listeners.delete(doc);
      await sub.unsubscribe(channel(doc)).catch(() => {});
    },
    publish(doc, msg) {
      pub.publish(channel(doc), Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength)).catch(onError);
    },
    async holdWriter(doc) {
      const r = await pub.eval(HOLD, { keys: [leaseKey(doc)], arguments: [nodeId, String(LEASE_MS)] });
      return r === 1;
    },
    async releaseWriter(doc) {
      await pub.eval(RELEASE, { keys: [leaseKey(doc)], arguments: [nodeId] }).catch(onError);
    },
    onReconnect(fn) {
      reconnectHandlers.push(fn);
    },
    async close() {
      await Promise.allSettled([sub.close(), pub.close()]);
    },
  };
}
