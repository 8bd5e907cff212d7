import type { Server } from 'node:http';
import type { AppDeps } from '../http/app.ts';
import type { Attachment } from '../realtime/index.ts';
import type { CollabOptions } from './protocol.ts';
import { CollabService } from './service.ts';

export type { CollabOptions } from './protocol.ts';
export { COLLAB_PREFIX, CollabService } from './service.ts';

/**
 * y-websocket collaboration at /collab/<docName> on the API's own port (contract §5), and
 * deps.collab, through which API edits of a post's content or a note's body reach live documents.
 */
export async function attachCollab(
  http: Server,
  deps: AppDeps,
  opts: Partial<CollabOptions> = {},
): Promise<Attachment & { service: CollabService }> {
  const service = new CollabService(deps, opts);
  await service.start(http);
  deps.collab = service.bridge();
  return { service, close: () => service.close() };
}
