import type { ClientToServerEvents, ServerToClientEvents } from '@chorus/shared/events';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Caller, registerOwner, startTestApp, type TestApp } from '../../test/api.ts';

// Raw Engine.IO v4 / Socket.IO v5 frames, below anything socket.io-client would send: every
// frame here is something a hostile or broken client can put on the wire.

let app: TestApp;
let owner: Caller;
let wsUrl: string;

beforeAll(async () => {
  app = await startTestApp();
  owner = await registerOwner(app.url, 'rt-protocol');
  wsUrl = `${app.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
});
afterAll(async () => {
  await app?.close();
});

interface Raw {
  ws: WebSocket;
  frames: string[];
  closed: Promise<void>;
  isOpen(): boolean;
  next(pred: (f: string) => boolean, ms?: number): Promise<string | undefined>;
}

/** A raw websocket to the gateway, answering Engine.IO pings so only our frames matter. */
async function raw(headers: Record<string, string> = {}): Promise<Raw> {
  const ws = new WebSocket(wsUrl, { headers });
  const frames: string[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data, isBinary) => {
    const f = isBinary ? `<binary ${(data as Buffer).length}>` : data.toString();
    if (f === '2') ws.send('3');
    frames.push(f);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<void>((r) => ws.once('close', () => r()));
  closed.then(() => {
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const conn: Raw = {
    ws,
    frames,
    closed,
    isOpen: () => ws.readyState === WebSocket.OPEN,
    async next(pred, ms = 2000) {
      const end = Date.now() + ms;
      for (;;) {
        const hit = frames.find(pred);
        if (hit !== undefined) return hit;
        if (!conn.isOpen() || Date.now() > end) return undefined;
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
  };
  expect(await conn.next((f) => f.startsWith('0{'))).toBeDefined();
  return conn;
}

/** A raw connection that has completed the Socket.IO CONNECT with a valid token. */
async function signedIn(): Promise<Raw> {
  const c = await raw();
  c.ws.send(`40${JSON.stringify({ token: owner.token })}`);
  expect(await c.next((f) => f.startsWith('40{'))).toMatch(/"sid"/);
  return c;
}

async function serverStillWorks() {
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  const s: Socket<ServerToClientEvents, ClientToServerEvents> = connect(app.url, {
    auth: { token: owner.token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    expect(await s.emitWithAck('subscribe', { postId: 'nope' } as never)).toEqual({
      ok: false,
      code: 'validation_failed',
    });
  } finally {
    s.disconnect();
  }
}

describe('raw Socket.IO frames', () => {
  it('refuses malformed or forged CONNECT packets without a session', async () => {
    const bad = [
      '40{',
      '40"token"',
      '40[1,2]',
      '40null',
      '40{"token":123}',
      '40{"token":{"$gt":""}}',
      '40{"token":["a","b"]}',
      `40{"token":"${'x'.repeat(12_000)}"}`,
      '40{"token":"a.b","lastSeq":1e308}',
      '40/admin,{}',
      '40/admin,',
      '4',
      '49',
      '4z{}',
    ];
    for (const frame of bad) {
      const c = await raw();
      c.ws.send(frame);
      // Refused (CONNECT_ERROR, or the connection dropped); never a session.
      await c.next((f) => f.startsWith('44') || f.startsWith('40{'), 1500);
      expect(
        c.frames.some((f) => f.startsWith('40{') && f.includes('"sid"')),
        frame.slice(0, 40),
      ).toBe(false);
      c.ws.terminate();
    }
    await serverStillWorks();
  });

  it('survives malformed, oversized and out-of-protocol frames after sign-in', async () => {
    const uuid = '00000000-0000-4000-8000-000000000000';
    const frames: Array<string | Buffer> = [
      '42[',
      '42[]',
      '42[1,2]',
      '42[null]',
      '42["subscribe"]',
      '421["subscribe"]',
      '421["subscribe",null]',
      '421["subscribe",{"campaignId":{"toString":1}}]',
      `421["subscribe",{"campaignId":"${uuid}","__proto__":{"polluted":true}}]`,
      '421["subscribe",{"constructor":{"prototype":{"polluted":true}}}]',
      '42["unsubscribe",{"postId":7}]',
      '42["nonsense",{}]',
      '42["disconnect"]',
      '42["connect"]',
      '42["__proto__",{}]',
      '42["hasOwnProperty",{}]',
      '4399[]',
      '43[]',
      '451-["subscribe",{"_placeholder":true,"num":0}]',
      '4599999999-["subscribe",{"_placeholder":true,"num":0}]',
      '45-1-["subscribe"]',
      '46[]',
      '40{"token":"again"}',
      '41',
      '6',
      '5',
      '1',
      '2probe',
      '3',
      '',
      '\u0000\u0001\u0002',
      Buffer.from([0, 1, 2, 3, 255, 254]),
      `42["subscribe",{"campaignId":"${'x'.repeat(40_000)}"}]`,
    ];
    // Well-formed packets with wrong contents must be answered or ignored, never cost the socket.
    const mustSurvive = new Set<string | Buffer>([
      '42[1,2]',
      '42["subscribe"]',
      '421["subscribe"]',
      '421["subscribe",null]',
      '421["subscribe",{"campaignId":{"toString":1}}]',
      `421["subscribe",{"campaignId":"${uuid}","__proto__":{"polluted":true}}]`,
      '421["subscribe",{"constructor":{"prototype":{"polluted":true}}}]',
      '42["unsubscribe",{"postId":7}]',
      '42["nonsense",{}]',
      '42["__proto__",{}]',
      '42["hasOwnProperty",{}]',
      '4399[]',
    ]);
    let survived = 0;
    for (const frame of frames) {
      const c = await signedIn();
      c.ws.send(frame);
      // A valid request after the bad frame: answered if the connection survived it.
      c.ws.send('4277["subscribe",{"postId":"not-a-uuid"}]');
      const answer = await c.next((f) => f.startsWith('4377'), 1000);
      if (answer) {
        survived++;
        expect(answer).toBe('4377[{"ok":false,"code":"validation_failed"}]');
      } else {
        expect(mustSurvive.has(frame), String(frame).slice(0, 60)).toBe(false);
      }
      c.ws.terminate();
    }
    // The rest (broken framing, oversized, protocol violations) only cost their own connection.
    expect(survived).toBeGreaterThanOrEqual(mustSurvive.size);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await serverStillWorks();
  });

  it('drops a frame larger than the buffer limit, over HTTP long-polling too', async () => {
    const c = await signedIn();
    c.ws.send(`42["subscribe",{"campaignId":"${'y'.repeat(200_000)}"}]`);
    await c.closed;
    const res = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    const sid = /"sid":"([^"]+)"/.exec(await res.text())![1];
    const post = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: `40{"token":"${'z'.repeat(500_000)}"}`,
    });
    expect(post.status).toBeGreaterThanOrEqual(400);
    await serverStillWorks();
  });

  it('refuses the websocket upgrade from a foreign Origin before any packet', async () => {
    const ws = new WebSocket(wsUrl, { headers: { origin: 'https://evil.example' } });
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
      ws.once('error', () => resolve('error'));
    });
    ws.terminate();
    expect(outcome).not.toBe('open');
  });
});
