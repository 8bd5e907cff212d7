import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../config.ts';
import type { AppEnv } from './app.ts';
import { Problem } from './problem.ts';

// Request and response hardening that applies to every route, in one place.

export const JSON_BODY_LIMIT = 1024 * 1024;
export const METRICS_BODY_LIMIT = 16 * 1024 * 1024;

const MiB = (n: number) => `${n / (1024 * 1024)} MiB`;

function tooLarge(max: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: max,
    onError: () => {
      // Closing the connection tells the client to stop sending the rest.
      throw new Problem('payload_too_large', `The body is larger than ${MiB(max)}`, {
        headers: { Connection: 'close' },
      });
    },
  });
}

const jsonLimit = tooLarge(JSON_BODY_LIMIT);
const metricsLimit = tooLarge(METRICS_BODY_LIMIT);

/**
 * Bounds every API body before anything parses it: a declared Content-Length over the limit is
 * refused at once, a streamed body is counted as it arrives and cut off. Uploads (multipart)
 * have their own limit in the assets route.
 */
export const bodyLimits: MiddlewareHandler<AppEnv> = (c, next) => {
  const m = c.req.method;
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return next();
  const path = c.req.path;
  if (m === 'POST' && path === '/api/v1/assets') return next();
  if (m === 'POST' && path === '/api/v1/metrics') return metricsLimit(c, next);
  return jsonLimit(c, next);
};

/** True when a string holds NUL or a lone UTF-16 surrogate (neither can be stored as text). */
export function badText(s: string): boolean {
  return s.includes('\0') || !s.isWellFormed();
}

function findBadText(value: unknown, path: string[], out: string[]): void {
  if (out.length >= 20) return;
  if (typeof value === 'string') {
    if (badText(value)) out.push(path.length ? path.join('.') : '(root)');
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) findBadText(v, [...path, String(i)], out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (badText(k)) out.push([...path, k].join('.'));
      else findBadText(v, [...path, k], out);
    }
  }
}

const badTextProblem = (paths: string[]) =>
  new Problem('validation_failed', 'Text must not contain NUL characters or unpaired surrogates', {
    errors: paths.map((p) => ({ path: p, message: 'Contains a NUL character or an unpaired surrogate' })),
  });

/**
 * Refuses NUL and unpaired surrogates in every text a request carries — query, path and every
 * JSON string (keys too) — before any route sees it, so no field can slip past. The body text is
 * cached on the request for the route's validator.
 */
export const textGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = c.req.url;
  // Query and path arrive percent-encoded; decoding turns invalid UTF-8 into U+FFFD, so NUL
  // (%00) is the one bad character they can carry.
  if (url.includes('%00') || url.includes('\0')) throw badTextProblem(['(url)']);
  const type = c.req.header('content-type') ?? '';
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && /^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    // Inside JSON text, NUL and lone surrogates can only be written as \u escapes (a raw NUL is
    // invalid JSON; invalid UTF-8 decodes to U+FFFD), so text without one needs no second parse.
    const text = await c.req.text();
    if (!text.includes('\\u')) return next();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Malformed JSON is the validator's to refuse (400 with its own message).
      return next();
    }
    const paths: string[] = [];
    findBadText(body, [], paths);
    if (paths.length) throw badTextProblem(paths);
  }
  return next();
};

/** Headers every answer carries; HTML gets its CSP from htmlCsp below. */
export function securityHeaders(config: Config): MiddlewareHandler<AppEnv> {
  const https = config.publicOrigins.some((o) => o.startsWith('https:'));
  return secureHeaders({
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    strictTransportSecurity: https ? 'max-age=31536000; includeSubDomains' : false,
    // Routes that set their own (asset content's sandbox CSP, cache headers) keep them.
    overwrite: false,
  });
}

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;

/**
 * A Content-Security-Policy for one HTML document: scripts only from this origin (plus any
 * listed) and the document's own inline scripts by hash — never 'unsafe-inline' — and no framing.
 */
export function htmlCsp(html: string, extra: { script?: string[]; style?: string[]; font?: string[] } = {}): string {
  const hashes = new Set<string>();
  for (const m of html.matchAll(INLINE_SCRIPT)) {
    if (m[1]!.trim() === '') continue;
    hashes.add(`'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
  }
  return [
    "default-src 'self'",
    `script-src 'self' ${[...hashes, ...(extra.script ?? [])].join(' ')}`.trim(),
    // Svelte and the docs page set style attributes; inline styles cannot run code.
    `style-src 'self' 'unsafe-inline' ${(extra.style ?? []).join(' ')}`.trim(),
    "img-src 'self' data: blob:",
    `font-src 'self' data: ${(extra.font ?? []).join(' ')}`.trim(),
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const cspCache = new Map<string, string>();

/** Gives an HTML answer that set no CSP of its own the default one (computed once per document). */
export const htmlCspHeader: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.res.headers.has('content-security-policy')) return;
  if (!(c.res.headers.get('content-type') ?? '').startsWith('text/html')) return;
  const body = Buffer.from(await c.res.clone().arrayBuffer());
  const key = createHash('sha256').update(body).digest('base64');
  let csp = cspCache.get(key);
  if (!csp) {
    // Precompressed pages (the web build's .br/.gz twins) are hashed as the browser sees them.
    const encoding = c.res.headers.get('content-encoding');
    const html = (
      encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body
    ).toString('utf8');
    csp = htmlCsp(html);
    if (cspCache.size > 100) cspCache.clear();
    cspCache.set(key, csp);
  }
  c.res.headers.set('Content-Security-Policy', csp);
};

/**
 * The address a request comes from: the socket's peer, or — only when TRUST_PROXY says a proxy
 * in front sets it — the last X-Forwarded-For entry (the one that proxy appended; anything to
 * its left is what the client claimed).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = c.req.header('x-forwarded-for');
    const last = xff?.split(',').pop()?.trim();
    if (last) return last;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

/** Whether the request reached us over https (X-Forwarded-Proto only counts behind a trusted proxy). */
export function viaHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}
