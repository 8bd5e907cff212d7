import type { Server } from 'node:http';
import type { AppDeps, RealtimeBridge } from '../deps.ts';
import { setNotificationSink } from '../resources/notifications/service.ts';
import { Gateway, type GatewayOptions } from './gateway.ts';

export { SOCKET_PATH } from './gateway.ts';

export interface Attachment {
  close(): Promise<void>;
}

/** The Socket.IO gateway and change relay at /socket.io, and the bridge that pushes metrics to it. */
export async function attachRealtime(
  http: Server,
  deps: AppDeps,
  opts: GatewayOptions = {},
): Promise<Attachment & { bridge: RealtimeBridge }> {
  const gateway = new Gateway(http, deps, opts);
  await gateway.start();
  setNotificationSink(deps.db, (batch) => gateway.notify(batch));
  return {
    bridge: { publishMetrics: (org, snapshots) => gateway.publishMetrics(org, snapshots) },
    close: () => {
      setNotificationSink(deps.db, undefined);
      return gateway.close();
    },
  };
}
