import type { Server } from 'node:http';
import type { AppDeps, CollabBridge } from '../deps.ts';
import type { Attachment } from '../realtime/index.ts';
import type { CollabOptions } from './protocol.ts';
import { CollabService } from './service.ts';

export type { CollabOptions } from './protocol.ts';
export { COLLAB_PREFIX, CollabService } from './service.ts';

/**
 * y-websocket collaboration at /collab/<docName> on the API's own port
 * (docs/collaboration.md), and the bridge through which API edits of a post's content or a
 * note's body reach live documents (server.ts installs it as deps.collab).
 */
export async function attachCollab(
  http: Server,
  deps: AppDeps,
  opts: Partial<CollabOptions> = {},
): Promise<Attachment & { service: CollabService; bridge: CollabBridge }> {
  const service = new CollabService(deps, opts);
  await service.start(http);
  return { service, bridge: service.bridge(), close: () => service.close() };
}
