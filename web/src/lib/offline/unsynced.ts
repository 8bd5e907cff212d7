import * as Y from 'yjs';

/**
 * How many changes `local` holds that the server's copy (`server`, a full state update) lacks:
 * inserted runs plus deleted ranges, as Yjs stores them (typing one word is one change). Zero
 * means everything this device has is on the server.
 */
export function missingChanges(local: Y.Doc, server: Uint8Array): number {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, server);
    let missing: Uint8Array | null = null;
    copy.on('update', (u: Uint8Array) => {
      missing = u;
    });
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(local, Y.encodeStateVector(copy)));
    if (!missing) return 0;
    const { structs, ds } = Y.decodeUpdate(missing);
    let n = structs.length;
    for (const ranges of ds.clients.values()) n += ranges.length;
    return n;
  } finally {
    copy.destroy();
  }
}
