import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../api.ts';
import { feedCount } from '../feed.ts';
import { buildWorld, type World } from '../world.ts';

// Property-based fuzzing of every JSON operation in the OpenAPI document: bodies built from the
// operation's own field names with arbitrary values (and raw garbage), arbitrary query strings
// and headers. No answer may be a 5xx, every error must be problem+json, and a rejected request
// must change nothing (the organisation's change feed does not grow).

type Schema = { $ref?: string; properties?: Record<string, Schema>; type?: string | string[] };
type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};

let app: TestApp;
let w: World;
let doc: { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

beforeAll(async () => {
  app = await startTestApp();
  w = await buildWorld(app.url, 'fuzz');
  doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as typeof doc;
}, 120_000);
afterAll(() => app?.close());

function resolve(s: Schema | undefined): Schema | undefined {
  if (s?.$ref) return doc.components?.schemas?.[s.$ref.split('/').pop()!];
  return s;
}

const idFor = (path: string) =>
  ({
    clients: w.clientId,
    campaigns: w.campaignId,
    posts: w.postId,
    notes: w.noteId,
    assets: w.assetId,
    users: w.members.viewer.userId,
  })[path.split('/')[1]!] ?? w.campaignId;

// Destructive or session-ending operations would only shrink what later runs can reach.
const SKIP = new Set(['POST /auth/logout', 'POST /assets']);

const changeCount = () => feedCount(app.database.db, w.owner.organisationId);

function operations() {
  const ops: Array<{ method: string; path: string; fields: string[]; query: string[] }> = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const m = method.toUpperCase();
      if (!['GET', 'POST', 'PATCH', 'PUT'].includes(m) || SKIP.has(`${m} ${path}`)) continue;
      const schema = resolve(op.requestBody?.content?.['application/json']?.schema);
      ops.push({
        method: m,
        path,
        fields: Object.keys(schema?.properties ?? {}),
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return ops;
}

describe('text that cannot be stored, in every field of every operation', () => {
  it('answers 400 problem+json (never 5xx) for NUL or an unpaired surrogate in any body field or query parameter', async () => {
    const ops = operations();
    for (const op of ops) {
      const url = `${app.url}/api/v1${op.path.replace('{id}', idFor(op.path)).replace('{platform}', 'mastodon')}`;
      const headers = { authorization: `Bearer ${w.owner.token}`, 'content-type': 'application/json' };
      const bad = ['a\u0000b', 'x\ud800y', '\udfff'];
      const sends: Array<{ target: string; init: RequestInit }> = [];
      for (const [i, field] of op.fields.entries()) {
        if (op.method === 'GET') break;
        sends.push({
          target: url,
          init: { method: op.method, headers, body: JSON.stringify({ [field]: bad[i % 3] }) },
        });
      }
      for (const q of op.query) sends.push({ target: `${url}?${q}=a%00b`, init: { method: op.method, headers } });
      for (const { target, init } of sends) {
        const before = await changeCount();
        const res = await fetch(target, op.method === 'GET' ? { ...init, body: undefined } : init);
        const text = await res.text();
        const where = `${op.method} ${target} ${String(init.body ?? '')} → ${res.status} ${text.slice(0, 200)}`;
        // Login and sign-up may already be rate limited by the other fuzz run; anything else is refused as bad text.
        expect([400, 429], where).toContain(res.status);
        expect(res.headers.get('content-type'), where).toContain('application/problem+json');
        expect(await changeCount(), where).toBe(before);
      }
    }
  }, 120_000);
});

describe('fuzzing every operation', () => {
  it('never answers 5xx, always problem+json on errors, and changes nothing when it refuses', async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(15);

    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '',
        'x',
        '-1',
        '1e309',
        'null',
        '2026-13-45',
        '00000000-0000-0000-0000-000000000000',
        'ʕ•ᴥ•ʔ',
        '\u0000',
        'a\u0000b@x.example',
        '\ud800',
        'x\udfffy',
        '\udc00\ud800',
        'a'.repeat(5000),
      ),
      // Arbitrary text with a NUL or an unpaired surrogate spliced in.
      fc
        .tuple(
          fc.string({ maxLength: 20 }),
          fc.constantFrom('\u0000', '\ud83d', '\ude00'),
          fc.string({ maxLength: 20 }),
        )
        .map(([a, bad, b]) => a + bad + b),
      fc.integer(),
      fc.double(),
      fc.constantFrom(w.postId, w.campaignId, w.clientId, w.noteId),
    );
    const request = fc.integer({ min: 0, max: ops.length - 1 }).chain((i) => {
      const op = ops[i]!;
      const known = op.fields.length
        ? fc.dictionary(fc.constantFrom(...op.fields), value, { maxKeys: op.fields.length })
        : fc.constant({});
      return fc.record({
        op: fc.constant(op),
        body: fc.oneof(
          known,
          fc.tuple(known, fc.string({ minLength: 1, maxLength: 12 }), value).map(([b, k, v]) => ({ ...b, [k]: v })),
          fc.jsonValue({ maxDepth: 3 }),
          fc.string({ maxLength: 60 }).map((raw) => ({ __raw: raw })),
        ),
        query: fc.dictionary(
          fc.constantFrom(...op.query, 'limit', 'cursor', 'from', 'to', 'zzz'),
          fc.oneof(fc.string({ maxLength: 30 }), fc.constant(w.campaignId), fc.constantFrom('a\u0000b', '\ud800')),
          { maxKeys: 3 },
        ),
        ifMatch: fc.option(
          fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('"1"', 'W/"2"', '*', '"999999999999"')),
        ),
        contentType: fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data',
        ),
      });
    });

    await fc.assert(
      fc.asyncProperty(request, async ({ op, body, query, ifMatch, contentType }) => {
        const before = await changeCount();
        const qs = new URLSearchParams(query as Record<string, string>).toString();
        const url = `${app.url}/api/v1${op.path.replace('{id}', idFor(op.path))}${qs ? `?${qs}` : ''}`;
        const raw =
          body && typeof body === 'object' && '__raw' in body
            ? String((body as { __raw: string }).__raw)
            : JSON.stringify(body);
        const headers: Record<string, string> = {
          authorization: `Bearer ${w.owner.token}`,
          'content-type': contentType,
        };
        if (ifMatch !== null) headers['if-match'] = ifMatch;
        const res = await fetch(url, { method: op.method, headers, body: op.method === 'GET' ? undefined : raw });
        const text = await res.text();
        const where = `${op.method} ${url} ${raw.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
        expect(res.status, where).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get('content-type'), where).toContain('application/problem+json');
          expect(JSON.parse(text).status, where).toBe(res.status);
          expect(await changeCount(), `rejected but changed: ${where}`).toBe(before);
        }
      }),
      {
        numRuns: Number(process.env.FUZZ_RUNS ?? 400),
        seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined,
      },
    );
  }, 300_000);
});
