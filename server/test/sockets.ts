import type { ClientToServerEvents, ServerToClientEvents } from '@chorus/shared/events';
import { io, type Socket } from 'socket.io-client';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Real socket.io clients (websocket only, no reconnection), remembered so afterAll can close them. */
export function socketTracker() {
  const open: Client[] = [];
  return {
    socket(url: string, auth: Record<string, unknown>, extra: Record<string, unknown> = {}): Client {
      const s: Client = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, ...extra });
      open.push(s);
      return s;
    },
    closeAll(): void {
      for (const s of open.splice(0)) s.disconnect();
    },
  };
}

export const connected = (s: Client) =>
  new Promise<void>((resolve, reject) => {
    if (s.connected) return resolve();
    s.once('connect', () => resolve());
    s.once('connect_error', (e) => reject(e));
  });

/** Polls a synchronous check (events collected so far) until it holds. */
export async function until(check: () => boolean, ms = 10_000, what: string | (() => unknown) = 'condition') {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      const detail = typeof what === 'function' ? JSON.stringify(what()) : what;
      throw new Error(`timed out waiting for ${detail}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
