import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createSession } from '../auth/sessions.ts';
import { loadConfig } from '../config.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import { withTenant } from '../db/tenant.ts';
import type { AppDeps } from '../deps.ts';
import { apiRoutes } from '../http/api.ts';
import { createApp } from '../http/app.ts';
import { createMetrics } from '../http/health.ts';
import { createLogger } from '../logger.ts';
import { attachCollab, type CollabOptions, type CollabService } from './index.ts';

/** Test and benchmark helpers: a server with tunable collab options, real y-websocket clients. */

export interface CollabNode {
  url: string;
  wsUrl: string;
  deps: AppDeps;
  service: CollabService;
  http: Server;
  close(): Promise<void>;
}

/** The API and collab on one port, like server.ts, but with collab options for tests. */
export async function startCollabNode(
  database: DatabaseHandle,
  opts: Partial<CollabOptions> = {},
  env: Record<string, string> = {},
): Promise<CollabNode> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env });
  const deps: AppDeps = { config, logger: createLogger('silent'), db: database.db, metrics: createMetrics() };
  const app = createApp(deps, { api: apiRoutes() });
  const http = createServer(getRequestListener(app.fetch));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const { service, bridge, close } = await attachCollab(http, deps, opts);
  deps.collab = bridge;
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    deps,
    service,
    http,
    close: async () => {
      await close();
      await new Promise<void>((r) => {
        http.close(() => r());
        http.closeAllConnections();
      });
    },
  };
}

export async function addUser(
  database: DatabaseHandle,
  organisationId: string,
  role: string,
): Promise<{ userId: string; token: string; sessionId: string; name: string }> {
  const userId = randomUUID();
  await withTenant(database.db, organisationId, async (tx) => {
    const r = await tx
      .selectFrom('reference_data')
      .select('id')
      .where('category', '=', 'user_role')
      .where('code', '=', role)
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('users')
      .values({
        id: userId,
        organisation_id: organisationId,
        email: `${role}-${userId.slice(0, 8)}@example.com`,
        name: `${role} ${userId.slice(0, 4)}`,
        password_hash: 'x',
        role_id: r.id,
      })
      .execute();
  });
  const s = await createSession(database.db, { id: userId, organisationId }, 30);
  return { userId, token: s.token, sessionId: s.sessionId, name: `${role} ${userId.slice(0, 4)}` };
}

export async function tokenFor(database: DatabaseHandle, userId: string, organisationId: string) {
  return (await createSession(database.db, { id: userId, organisationId }, 30)).token;
}

export interface Client {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
  /** Every session mode the server announced, in order: 'read-write' or 'read-only:<reason>'. */
  modes: string[];
  destroy(): void;
}

export function connectClient(wsUrl: string, docName: string, token: string | undefined, field = 'content'): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, docName, doc, {
    params: token ? { token } : {},
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
  });
  const modes: string[] = [];
  // The auth message carries the session's mode (docs/collaboration.md).
  provider.messageHandlers[2] = (_encoder, decoder) => {
    const kind = decoding.readVarUint(decoder);
    const reason = decoding.readVarString(decoder);
    modes.push(kind === 0 ? `read-only:${reason}` : 'read-write');
  };
  return {
    doc,
    text: doc.getText(field),
    provider,
    modes,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function synced(c: Client, timeoutMs = 10_000): Promise<void> {
  if (c.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('not synced in time')), timeoutMs);
    c.provider.once('sync', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Resolves with the close code the server sent. */
export function closeCode(c: Client, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('not closed in time')), timeoutMs);
    c.provider.on('connection-close', (event: { code: number } | null) => {
      if (!event) return;
      clearTimeout(t);
      resolve(event.code);
    });
  });
}

export async function until<T>(fn: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
