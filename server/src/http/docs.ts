import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { createRouter } from './app.ts';

/**
 * The browsable API docs at /api/docs, served entirely from this server: Scalar's standalone
 * bundle comes from node_modules (no CDN), started by a script file rather than an inline script
 * so a strict Content-Security-Policy holds, with Scalar's web fonts and telemetry off.
 */
const require = createRequire(import.meta.url);
// The package exports no path to its browser build; it sits beside the main entry.
const BUNDLE = join(dirname(require.resolve('@scalar/api-reference')), 'browser/standalone.js');

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Chorus API</title>
    <link rel="icon" href="/icon-192.png" type="image/png" />
  </head>
  <body>
    <div id="app"></div>
    <script src="/api/docs/scalar.js"></script>
    <script src="/api/docs/start.js"></script>
  </body>
</html>`;

const CONFIG = {
  url: '/api/v1/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: true,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
};
const START = `Scalar.createApiReference('#app', ${JSON.stringify(CONFIG)});\n`;

type Encoding = 'raw' | 'br' | 'gzip';
const cache = new Map<Encoding, Promise<Buffer>>();
/** Read once, and compressed once per encoding on first request: ~5 MB raw, ~1 MB over the wire. */
function bundle(enc: Encoding): Promise<Buffer> {
  let b = cache.get(enc);
  if (!b) {
    const raw = cache.get('raw') ?? readFile(BUNDLE);
    cache.set('raw', raw);
    b =
      enc === 'raw'
        ? raw
        : raw.then((r) =>
            enc === 'br'
              ? promisify(brotliCompress)(r, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })
              : promisify(gzip)(r, { level: 6 }),
          );
    cache.set(enc, b);
  }
  return b;
}

export function docsRoutes() {
  return createRouter()
    .get('/api/docs', (c) => c.html(PAGE, 200, { 'Cache-Control': 'no-cache' }))
    .get('/api/docs/start.js', (c) =>
      c.body(START, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }),
    )
    .get('/api/docs/scalar.js', async (c) => {
      const accept = c.req.header('Accept-Encoding') ?? '';
      const enc = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
      const body = await bundle(enc ?? 'raw');
      const headers: Record<string, string> = {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'public, max-age=86400',
        Vary: 'Accept-Encoding',
      };
      if (enc) headers['Content-Encoding'] = enc;
      return c.body(new Uint8Array(body), 200, headers);
    });
}
