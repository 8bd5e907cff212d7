import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, registerOwner, startTestApp, type TestApp } from '../../test/api.ts';
import { loginStats } from '../resources/auth/service.ts';

let app: TestApp;
let owner: Caller;
beforeAll(async () => {
  app = await startTestApp({ METRICS_TOKEN: 'a-metrics-token-of-some-length' });
  owner = await registerOwner(app.url, 'guards');
});
afterAll(() => app?.close());

let nextAddress = 1;
/** Each test speaks from its own address (TRUST_PROXY is on in test apps), so limits stay apart. */
const address = () => `203.0.113.${nextAddress++}`;

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/**
 * Sends `declared` bytes of body with Content-Length (or chunked when undefined), 64 KiB at a
 * time, and stops as soon as an answer arrives; answers the status and how much was sent.
 */
function sendLarge(
  path: string,
  total: number,
  declared: boolean,
): Promise<{ status: number; sent: number; body: string }> {
  const url = new URL(`${app.url}${path}`);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${owner.token}`,
          ...(declared ? { 'content-length': String(total) } : {}),
        },
      },
      (res) => {
        answered = true;
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode!, sent, body }));
      },
    );
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    chunk[0] = 0x5b; // '[': a JSON array of spaces that never ends
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('body limits', () => {
  it('refuses a 200 MB JSON body with 413 without reading it, declared or streamed', async () => {
    const total = 200 * 1024 * 1024;
    const rss = process.memoryUsage().rss;
    for (const declared of [true, false]) {
      const r = await sendLarge('/api/v1/auth/login', total, declared);
      expect(r.status, `declared=${declared}`).toBe(413);
      expect(JSON.parse(r.body)).toMatchObject({ code: 'payload_too_large', status: 413 });
      // The server stopped us long before the end.
      expect(r.sent, `declared=${declared}`).toBeLessThan(total / 4);
    }
    expect(process.memoryUsage().rss - rss).toBeLessThan(150 * 1024 * 1024);
  }, 60_000);

  it('allows up to 16 MiB on POST /metrics and 1 MiB elsewhere', async () => {
    const justOver = 'x'.repeat(1024 * 1024 + 10);
    const r = await owner.json<any>('POST', '/clients', { name: justOver });
    expect(r.status).toBe(413);
    // 2 MiB reaches validation on /metrics (400 for the bad snapshots, not 413).
    const snapshots = Array.from({ length: 20_000 }, () => ({ postId: 'x'.repeat(80) }));
    const m = await owner.json<any>('POST', '/metrics', { snapshots });
    expect(JSON.stringify({ snapshots }).length).toBeGreaterThan(1024 * 1024);
    expect(m.status).toBe(400);
    const over = await sendLarge('/api/v1/metrics', 17 * 1024 * 1024, true);
    expect(over.status).toBe(413);
  }, 60_000);
});

describe('text that cannot be stored', () => {
  it('answers 400 for NUL and unpaired surrogates in any field, login included, before any SQL sees them', async () => {
    const login = await postJson('/auth/login', '{"email":"a\\u0000b@x.example","password":"whatever whatever"}', {
      'x-forwarded-for': address(),
    });
    expect(login.status).toBe(400);
    expect(login.headers.get('content-type')).toContain('application/problem+json');
    expect(((await login.json()) as any).errors[0].path).toBe('email');
    const surrogate = await postJson('/auth/login', '{"email":"\\ud800@x.example","password":"whatever whatever"}');
    expect(surrogate.status).toBe(400);
    const nested = await owner.json<any>('POST', '/metrics', '{"snapshots":[{"postId":"\\udfff"}]}');
    expect(nested.status).toBe(400);
    expect(nested.body.errors[0].path).toBe('snapshots.0.postId');
    const key = await owner.json<any>('POST', '/clients', '{"name":"ok","\\u0000":1}');
    expect(key.status).toBe(400);
    const query = await owner.call('GET', '/search?q=a%00b');
    expect(query.status).toBe(400);
    const path = await owner.call('GET', '/clients/a%00b');
    expect(path.status).toBe(400);
    // A paired surrogate (an emoji) is ordinary text.
    expect((await owner.json('POST', '/clients', { name: 'Café 🎉' })).status).toBe(201);
  });
});

describe('login throttling', () => {
  it('30 parallel wrong passwords on one account check at most 5 passwords', async () => {
    const victim = await registerOwner(app.url, 'parallel');
    const before = loginStats.passwordChecks;
    const from = address();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        postJson('/auth/login', { email: victim.email, password: 'wrong wrong wrong' }, { 'x-forwarded-for': from }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(loginStats.passwordChecks - before).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
    const limited = answers.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const problem = (await limited.json()) as any;
    const wrong = (await answers.find((r) => r.status === 401)!.json()) as any;
    expect(problem).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(problem.title).not.toBe(wrong.title);
    expect(problem.detail).not.toBe(wrong.detail);
  });

  it('allows 30 failed sign-ins a minute per client address, across accounts', async () => {
    const from = address();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const r = await postJson(
        '/auth/login',
        { email: `nobody-${i}@example.com`, password: 'wrong wrong wrong' },
        { 'x-forwarded-for': from },
      );
      statuses.push(r.status);
      if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    // Another address is unaffected.
    const other = await postJson(
      '/auth/login',
      { email: owner.email, password: 'correct horse battery' },
      {
        'x-forwarded-for': address(),
      },
    );
    expect(other.status).toBe(200);
  }, 60_000);

  it('counts IPv6 clients by their /64, so rotating addresses inside it does not help', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const r = await postJson(
        '/auth/login',
        { email: `nobody-v6-${i}@example.com`, password: 'wrong wrong wrong' },
        { 'x-forwarded-for': `2001:db8:77:1:${i.toString(16)}::${i + 1}` },
      );
      statuses.push(r.status);
    }
    expect(statuses[30]).toBe(429);
  }, 60_000);

  it('ignores X-Forwarded-For without TRUST_PROXY', async () => {
    const plain = await startTestApp({ TRUST_PROXY: 'false' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) {
        const r = await fetch(`${plain.url}/api/v1/auth/login`, {
          method: 'POST',
          // A different claimed address each time: without a trusted proxy it changes nothing.
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` },
          body: JSON.stringify({ email: `nobody-${i}@example.com`, password: 'wrong wrong wrong' }),
        });
        statuses.push(r.status);
      }
      expect(statuses[30]).toBe(429);
    } finally {
      await plain.close();
    }
  }, 60_000);
});

describe('sign-up', () => {
  const register = (body: Record<string, unknown>, from = address()) =>
    postJson(
      '/auth/register',
      { organisationName: 'Acme', name: 'Ann', email: `ann-${Math.random()}@acme.example`, ...body },
      { 'x-forwarded-for': from },
    );

  it.each([
    ['ten spaces', '          '],
    ['a common password', 'password12'],
    ['a common password', 'qwertyuiop'],
    ['a common password', '1234567890'],
    ['one repeated character', 'aaaaaaaaaa'],
    ['too short', 'abc12'],
    ['too long', 'x'.repeat(257)],
    ['the e-mail local part', 'annabelle-strong-2026'],
  ])('refuses %s (%s) naming the password field', async (_why, password) => {
    const r = await register({ password, email: `annabelle@acme.example` });
    expect(r.status).toBe(400);
    const body = (await r.json()) as any;
    expect(body.errors.map((e: { path: string }) => e.path)).toContain('password');
    expect(body.errors.every((e: { message: string }) => e.message.length < 80)).toBe(true);
  });

  it('accepts a reasonable passphrase', async () => {
    expect((await register({ password: 'violet kettle meadow' })).status).toBe(201);
  });

  it('allows 30 sign-ups a minute per address, then 429 with Retry-After', async () => {
    const from = address();
    const statuses: number[] = [];
    // Invalid bodies count too: the limit is on requests, before any work.
    for (let i = 0; i < 31; i++) statuses.push((await register({ password: 'x' }, from)).status);
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses[30]).toBe(429);
  }, 60_000);
});

describe('headers', () => {
  it('every answer carries nosniff and a Referrer-Policy, errors and health included', async () => {
    for (const path of ['/api/v1/me', '/api/v1/nope', '/healthz', '/api/v1/openapi.json', '/']) {
      const r = await fetch(`${app.url}${path}`);
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(r.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('HTML pages carry a CSP that forbids framing and inline scripts not hashed', async () => {
    for (const path of ['/', '/api/docs']) {
      const r = await fetch(`${app.url}${path}`);
      expect(r.headers.get('content-type'), path).toContain('text/html');
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc, path).not.toContain('unsafe-inline');
      // Every inline script of the page is allowed by its hash, so the page still runs.
      const html = await r.text();
      for (const m of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
        if (!m[1]!.trim()) continue;
        const hash = (await import('node:crypto')).createHash('sha256').update(m[1]!).digest('base64');
        expect(scriptSrc, path).toContain(`'sha256-${hash}'`);
      }
    }
  });

  it('sends HSTS when the public origin is https', async () => {
    const secure = await startTestApp({ PUBLIC_ORIGIN: 'https://chorus.example' });
    try {
      const r = await fetch(`${secure.url}/healthz`);
      expect(r.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    } finally {
      await secure.close();
    }
  });

  it('the Secure cookie follows X-Forwarded-Proto only behind a trusted proxy', async () => {
    const login = (url: string) =>
      fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', 'x-forwarded-for': address() },
        body: JSON.stringify({ email: owner.email, password: 'correct horse battery' }),
      });
    const trusted = await login(app.url);
    expect(trusted.status).toBe(200);
    expect(trusted.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const plain = await startTestApp({ TRUST_PROXY: 'false' });
    try {
      const o = await registerOwner(plain.url, 'cookie');
      const r = await fetch(`${plain.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ email: o.email, password: 'correct horse battery' }),
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    } finally {
      await plain.close();
    }
  });
});

describe('/metrics', () => {
  it('answers loopback callers and the bearer token; others get 403', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(200);
    const outside = await fetch(`${app.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.200' } });
    expect(outside.status).toBe(403);
    expect(outside.headers.get('content-type')).toContain('application/problem+json');
    expect(await outside.text()).not.toContain('chorus_http_request_duration_seconds');
    const wrong = await fetch(`${app.url}/metrics`, {
      headers: { 'x-forwarded-for': '203.0.113.200', authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status).toBe(403);
    const withToken = await fetch(`${app.url}/metrics`, {
      headers: { 'x-forwarded-for': '203.0.113.200', authorization: 'Bearer a-metrics-token-of-some-length' },
    });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('chorus_http_request_duration_seconds');
  });
});

describe('the OpenAPI document', () => {
  it('documents what is served: asset bytes, 413 on JSON bodies, login 429 apart from 401', async () => {
    const doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as any;
    const content = doc.paths['/assets/{id}/content'].get.responses['200'];
    expect(Object.keys(content.content)).toEqual(expect.arrayContaining(['image/png', 'application/pdf']));
    const login = doc.paths['/auth/login'].post.responses;
    expect(login['429'].description).not.toBe(login['401'].description);
    expect(login['429'].headers['Retry-After']).toBeDefined();
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        if (op.requestBody?.content?.['application/json']) {
          expect(op.responses['413'], `${method} ${path}`).toBeDefined();
        }
      }
    }
  });
});
