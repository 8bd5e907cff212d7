import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './app.ts';
import { docsRoutes } from './docs.ts';
import { htmlCspHeader } from './guards.ts';
import { webRoutes } from './static.ts';

function fakeBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-web-'));
  mkdirSync(join(dir, '_app/immutable'), { recursive: true });
  const js = 'console.log("hello");'.repeat(50);
  const html = '<!doctype html><title>Chorus</title>';
  for (const [path, body] of [
    ['_app/immutable/app.abc123.js', js],
    ['index.html', html],
  ] as const) {
    writeFileSync(join(dir, path), body);
    writeFileSync(join(dir, `${path}.br`), brotliCompressSync(body));
    writeFileSync(join(dir, `${path}.gz`), gzipSync(body));
  }
  return { dir, js, html };
}

describe('static web client', () => {
  it('sends the brotli twin of a hashed asset with immutable caching', async () => {
    const { dir, js } = fakeBuild();
    const res = await webRoutes(dir).request('/_app/immutable/app.abc123.js', {
      headers: { 'Accept-Encoding': 'gzip, deflate, br' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toContain('Accept-Encoding');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(js);
  });

  it('falls back to gzip, then to the plain file', async () => {
    const { dir, js } = fakeBuild();
    const app = webRoutes(dir);
    const gz = await app.request('/_app/immutable/app.abc123.js', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const plain = await app.request('/_app/immutable/app.abc123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(js);
  });

  it('serves the SPA fallback compressed and never cached for good', async () => {
    const { dir, html } = fakeBuild();
    const res = await webRoutes(dir).request('/posts/some-id', { headers: { 'Accept-Encoding': 'br;q=1, gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(html);
  });
});

describe('CSP of a precompressed page', () => {
  it('hashes the inline script of the page the browser unpacks, for brotli, gzip and plain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-web-'));
    const script = 'window.start("app");';
    const html = `<!doctype html><title>Chorus</title><script>${script}</script>`;
    writeFileSync(join(dir, 'index.html'), html);
    writeFileSync(join(dir, 'index.html.br'), brotliCompressSync(html));
    writeFileSync(join(dir, 'index.html.gz'), gzipSync(html));
    const app = new Hono<AppEnv>().use(htmlCspHeader).route('/', webRoutes(dir));
    const hash = `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
    for (const encoding of ['br', 'gzip', 'identity']) {
      const res = await app.request('/calendar', { headers: { 'Accept-Encoding': encoding } });
      expect(res.headers.get('content-encoding'), encoding).toBe(encoding === 'identity' ? null : encoding);
      const scriptSrc = /script-src ([^;]*)/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
      expect(scriptSrc, encoding).toContain(hash);
      expect(scriptSrc, encoding).not.toContain('unsafe-inline');
    }
  });
});

describe('API docs', () => {
  it('loads everything from this server, with no inline script', async () => {
    const app = docsRoutes();
    const page = await (await app.request('/api/docs')).text();
    const scripts = [...page.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\/api\/docs\//);
      expect(body!.trim()).toBe('');
    }
    expect(page).not.toMatch(/https?:\/\//);
    const start = await (await app.request('/api/docs/start.js')).text();
    expect(start).toContain('/api/v1/openapi.json');
    const bundle = await app.request('/api/docs/scalar.js', { headers: { 'Accept-Encoding': 'br' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await bundle.arrayBuffer())).toString()).toContain('createApiReference');
  });
});
