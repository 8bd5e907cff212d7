import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import type { Tx } from './db/tenant.ts';
import type { Metrics } from './http/health.ts';
import type { Logger } from './logger.ts';
import type { StoredSnapshot } from './resources/metrics/service.ts';

/**
 * Everything a request handler, job or live connection may reach, created once per process.
 * The bridges are installed by server.ts once the parts that provide them are attached.
 */
export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Db;
  metrics: Metrics;
  /** From the collaboration layer (collab/): API edits of text reach live documents. */
  collab?: CollabBridge;
  /** From the realtime gateway (realtime/): stored metrics reach subscribed sockets. */
  realtime?: RealtimeBridge;
}

export interface RealtimeBridge {
  publishMetrics(organisationId: string, snapshots: StoredSnapshot[]): void;
}

export interface CollabBridge {
  /** Merges an API edit of a post's content or a note's body into its document, as a diff, inside the API's transaction. */
  mergeText(tx: Tx, target: { kind: 'post' | 'note'; id: string; organisationId: string }, text: string): Promise<void>;
}
