import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config.ts';
import type { JobsOptions } from '../src/jobs/index.ts';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { freshDatabase, type TestDatabase } from './db.ts';

export interface TestApp {
  server: RunningServer;
  database: TestDatabase;
  url: string;
  close(): Promise<void>;
}

/** A real server on a random port over a fresh database; `jobs` overrides the CHORUS_* job timings. */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { jobs?: JobsOptions } = {},
): Promise<TestApp> {
  const database = await freshDatabase();
  // TRUST_PROXY lets helpers below sign up from distinct (benchmarking-range) addresses, so
  // suites that register many organisations stay under the per-address sign-up limit.
  const server = await startServer(
    loadConfig({ PORT: '0', LOG_LEVEL: 'silent', TRUST_PROXY: 'true', ...env }),
    createLogger('silent'),
    {
      database,
      jobs: opts.jobs,
    },
  );
  return {
    server,
    database,
    url: server.url,
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}

export interface Caller {
  token: string;
  userId: string;
  organisationId: string;
  email: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  json<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; res: Response }>;
}

export function caller(
  url: string,
  token: string,
  who: { userId: string; organisationId: string; email: string },
): Caller {
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    token,
    ...who,
    call,
    json: async (method, path, body, headers) => {
      const res = await call(method, path, body, headers);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, res };
    },
  };
}

/** An address from 198.18.0.0/15 (benchmarking range), for a request that should count apart. */
export function randomTestAddress(): string {
  const n = randomBytes(2);
  return `198.18.${n[0]}.${n[1]}`;
}

/** Registers a new organisation through the API and returns its owner as a caller. */
export async function registerOwner(url: string, label = randomUUID().slice(0, 8)): Promise<Caller> {
  const email = `owner-${label}-${randomUUID().slice(0, 6)}@example.com`;
  const res = await fetch(`${url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': randomTestAddress() },
    body: JSON.stringify({
      organisationName: `Agency ${label}`,
      name: `Owner ${label}`,
      email,
      password: 'correct horse battery',
    }),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; user: { id: string }; organisation: { id: string } };
  return caller(url, body.token, { userId: body.user.id, organisationId: body.organisation.id, email });
}

/** Invites and signs in a member with the given role in the owner's organisation. */
export async function addMember(url: string, owner: Caller, role: string, clientIds?: string[]): Promise<Caller> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  const inv = await owner.json<{ token: string }>('POST', '/invitations', { email, role, clientIds });
  if (inv.status !== 201) throw new Error(`invite failed: ${inv.status} ${JSON.stringify(inv.body)}`);
  const res = await fetch(`${url}/api/v1/auth/accept-invitation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: inv.body.token, name: `A ${role}`, password: 'correct horse battery' }),
  });
  if (res.status !== 201) throw new Error(`accept failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; user: { id: string }; organisation: { id: string } };
  return caller(url, body.token, { userId: body.user.id, organisationId: body.organisation.id, email });
}
