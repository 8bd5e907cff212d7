import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangeEvent } from '@chorus/shared/events';
import { afterAll, describe, expect, it } from 'vitest';
import { registerOwner, startTestApp, type TestApp } from '../test/api.ts';
import { connected, socketTracker, until } from '../test/sockets.ts';

// Multi-node mode depends on Redis: the server must refuse to start without it, and survive
// losing it later. These tests run their own redis-server on their own port.
const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER!,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (/Ready to accept connections/.test(out)) resolve();
    });
    child.once('exit', () => reject(new Error(`redis-server exited: ${out}`)));
  });
  return child;
}

async function stopRedis(child: ChildProcess) {
  if (child.exitCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

describe('Redis at start', () => {
  it('exits non-zero within 20 s naming Redis when REDIS_URL points at nothing', async () => {
    const port = await freePort();
    const started = Date.now();
    const child = spawn(process.execPath, ['src/main.ts'], {
      cwd: new URL('..', import.meta.url).pathname,
      env: {
        ...process.env,
        PORT: '0',
        LOG_LEVEL: 'info',
        REDIS_URL: `redis://127.0.0.1:${port}`,
        DATABASE_URL: '',
        DATA_DIR: await mkdtemp(join(tmpdir(), 'chorus-redis-down-')),
      },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(out).toMatch(/Redis is unreachable/);
    expect(out).toContain(String(port));
  }, 30_000);
});

describe.runIf(REDIS_SERVER)('Redis lost after start', () => {
  let redis: ChildProcess | undefined;
  let app: TestApp | undefined;
  const sockets = socketTracker();
  afterAll(async () => {
    sockets.closeAll();
    await app?.close();
    if (redis) await stopRedis(redis);
  });

  it('answers /readyz 503 while Redis is down, keeps every change, and recovers when it is back', async () => {
    const port = await freePort();
    redis = await startRedis(port);
    app = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const ready = async () => (await fetch(`${app!.url}/readyz`)).status;
    expect(await ready()).toBe(200);
    const owner = await registerOwner(app.url, 'redis');

    await stopRedis(redis);
    const down = Date.now();
    let status = 200;
    while (status !== 503 && Date.now() - down < 10_000) status = await ready();
    expect(status).toBe(503);

    // Writes do not depend on Redis: stored and in the change feed.
    const during = await owner.json<{ id: string }>('POST', '/clients', { name: 'Written while Redis was down' });
    expect(during.status).toBe(201);

    redis = await startRedis(port);
    const back = Date.now();
    while (status !== 200 && Date.now() - back < 15_000) {
      await new Promise((r) => setTimeout(r, 200));
      status = await ready();
    }
    expect(status).toBe(200);

    // A socket that catches up from the start of the feed sees the change made during the outage,
    // and live changes flow again through the reconnected adapter.
    const got: ChangeEvent[] = [];
    const s = sockets.socket(app.url, { token: owner.token, lastSeq: 0 });
    s.on('change', (c) => got.push(c));
    await connected(s);
    await until(() => got.some((c) => c.id === during.body.id), 10_000, 'the change made during the outage');
    const after = await owner.json<{ id: string }>('POST', '/clients', { name: 'Written after Redis came back' });
    await until(() => got.some((c) => c.id === after.body.id), 10_000, 'a live change after recovery');
  }, 60_000);
});
