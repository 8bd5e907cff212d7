import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freshDatabase, type TestDatabase } from '../test/db.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { type RunningServer, startServer } from './server.ts';

let h: TestDatabase;
let s: RunningServer;

beforeAll(async () => {
  h = await freshDatabase();
  s = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }), createLogger('silent'), { database: h });
});
afterAll(async () => {
  await s.close();
  await h.close();
});

describe('server skeleton', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('serves Prometheus metrics', async () => {
    await fetch(`${s.url}/healthz`);
    const res = await fetch(`${s.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toMatch(/chorus_http_request_duration_seconds_count\{[^}]*route="\/healthz"/);
  });

  it('serves the web client (or, without a build, a page pointing at the API docs) at /', async () => {
    const res = await fetch(`${s.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/Chorus/);
  });

  it('refuses a websocket upgrade to a path nobody serves at once, instead of leaving it open', async () => {
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/not-a-socket`);
    const [err] = (await once(ws, 'error')) as [Error];
    expect(err.message).toMatch(/404/);
  });

  it('answers an unknown route with problem+json 404', async () => {
    const res = await fetch(`${s.url}/api/v1/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('the process', () => {
  it('exits 1 with a clear message on bad configuration', async () => {
    const child = spawn(process.execPath, ['src/main.ts'], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'silent' },
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(err).toContain('Invalid configuration');
    expect(err).toContain('PORT');
  });

  it.runIf(Boolean(process.env.DATABASE_URL))(
    'migrates an empty database, serves /readyz, stops on SIGTERM',
    async () => {
      const { adminQuery, queryDb } = await import('../test/db.ts');
      const base = process.env.DATABASE_URL!;
      const name = `chorus_test_boot_${Date.now()}`;
      await adminQuery(base, `CREATE DATABASE ${name}`);
      const u = new URL(base);
      u.pathname = `/${name}`;
      const child = spawn(process.execPath, ['src/main.ts'], {
        cwd: new URL('..', import.meta.url).pathname,
        env: { ...process.env, PORT: '0', DATABASE_URL: u.toString(), LOG_LEVEL: 'info' },
      });
      try {
        let out = '';
        const url = await new Promise<string>((resolve, reject) => {
          child.stdout.on('data', (d) => {
            out += d;
            const m = /"url":"(http:[^"]+)"/.exec(out);
            if (m) resolve(m[1]!);
          });
          child.once('exit', () => reject(new Error(`exited early: ${out}`)));
        });
        expect((await fetch(`${url}/readyz`)).status).toBe(200);
        const tables = await queryDb(
          u.toString(),
          `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
        );
        expect(tables[0].n).toBeGreaterThanOrEqual(11);
        child.kill('SIGTERM');
        const [code] = await once(child, 'exit');
        expect(code).toBe(0);
      } finally {
        child.kill('SIGKILL');
        await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    },
  );
});
