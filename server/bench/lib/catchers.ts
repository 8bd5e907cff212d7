import { parentPort, workerData } from 'node:worker_threads';
import { io } from 'socket.io-client';

// Clients catching up, on their own thread: each resumes `behind` changes back and, once level
// with the head it saw, starts over, until told to stop. Kept off the measuring thread so that
// decoding their replay does not delay the live sockets' own event handling there.

const { url, token, clients, behind } = workerData as { url: string; token: string; clients: number; behind: number };
let stop = false;
let caughtUp = 0;
parentPort!.on('message', (m) => {
  if (m === 'stop') stop = true;
});

async function head(): Promise<number> {
  const r = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  await r.arrayBuffer();
  return Number(r.headers.get('x-chorus-seq'));
}

async function client(): Promise<void> {
  while (!stop) {
    const top = await head();
    const from = Math.max(0, top - behind);
    const s = io(url, {
      auth: { token, lastSeq: from },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve) => {
      s.on('change', (c: { seq: number }) => {
        caughtUp++;
        if (c.seq >= top || stop) resolve();
      });
      s.on('resync', () => resolve());
      s.on('disconnect', () => resolve());
      s.on('connect_error', () => resolve());
      if (top === from) resolve();
    });
    s.disconnect();
  }
}

parentPort!.postMessage('ready');
await Promise.all(Array.from({ length: clients }, () => client()));
parentPort!.postMessage({ caughtUp });
