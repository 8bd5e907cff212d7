import type { Server } from 'node:http';
import type { AppDeps } from '../http/app.ts';
import { setNotificationSink } from '../resources/notifications/service.ts';
import { Gateway, type GatewayOptions } from './gateway.ts';

export { SOCKET_PATH } from './gateway.ts';

export interface Attachment {
  close(): Promise<void>;
}

/** The Socket.IO gateway and change relay at /socket.io; installs deps.realtime for metrics. */
export async function attachRealtime(http: Server, deps: AppDeps, opts: GatewayOptions = {}): Promise<Attachment> {
  const gateway = new Gateway(http, deps, opts);
  await gateway.start();
  deps.realtime = { publishMetrics: (org, snapshots) => gateway.publishMetrics(org, snapshots) };
  setNotificationSink(deps.db, (batch) => gateway.notify(batch));
  return {
    close: () => {
      setNotificationSink(deps.db, undefined);
      return gateway.close();
    },
  };
}
