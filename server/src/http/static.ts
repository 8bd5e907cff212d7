import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AppEnv } from './app.ts';

/** Where `pnpm build` puts the SvelteKit client (adapter-static, SPA fallback). */
export const WEB_BUILD = fileURLToPath(new URL('../../../web/build/', import.meta.url));

const RESERVED = /^\/(api|socket\.io|collab)(\/|$)/;

/**
 * Serves the built web client beside the API on one origin: the build's brotli/gzip twins when
 * the browser takes them, hashed assets cached for good, everything else falls back to
 * index.html so client-side routes survive a reload. Without a build (API-only installs, tests)
 * `/` explains where things are instead.
 */
export function webRoutes(buildDir = WEB_BUILD) {
  const app = new Hono<AppEnv>();
  const index = join(buildDir, 'index.html');
  if (!existsSync(index)) {
    app.get('/', (c) =>
      c.html(
        '<!doctype html><meta charset="utf-8"><title>Chorus</title><body style="font:16px system-ui;margin:3rem">' +
          '<h1>Chorus is running</h1><p>The web client is not built in this installation. ' +
          'The API is documented at <a href="/api/docs">/api/docs</a> (OpenAPI: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>).</p>',
      ),
    );
    return app;
  }
  app.use('/_app/immutable/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('*', async (c, next) =>
    RESERVED.test(c.req.path) ? next() : serveStatic<AppEnv>({ root: buildDir, precompressed: true })(c, next),
  );
  app.get('*', async (c, next) => {
    if (RESERVED.test(c.req.path) || c.req.method !== 'GET') return next();
    // The build writes index.html.br and .gz beside it (see web/vite.config.ts).
    const accept = new Set((c.req.header('Accept-Encoding') ?? '').split(',').map((e) => e.split(';')[0]!.trim()));
    for (const [enc, ext] of [
      ['br', '.br'],
      ['gzip', '.gz'],
    ] as const) {
      if (!accept.has(enc) || !existsSync(index + ext)) continue;
      return c.body(new Uint8Array(await readFile(index + ext)), 200, {
        'Content-Type': 'text/html; charset=UTF-8',
        'Content-Encoding': enc,
        Vary: 'Accept-Encoding',
        'Cache-Control': 'no-cache',
      });
    }
    return c.html(await readFile(index, 'utf8'), 200, { 'Cache-Control': 'no-cache' });
  });
  return app;
}
