import { can, type Permission } from '@chorus/domain';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type RawBuilder, sql } from 'kysely';
import type { SessionUser } from '../auth/sessions.ts';
import { Problem } from '../http/problem.ts';

// ------------------------------------------------------------------------------------------
// Shapes every resource shares
// ------------------------------------------------------------------------------------------

export const Uuid = z.uuid().openapi({ example: '0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11' });

export const AuditFields = {
  id: Uuid,
  createdAt: z.string().openapi({ format: 'date-time' }),
  updatedAt: z.string().openapi({ format: 'date-time' }),
  createdBy: Uuid.nullable(),
  updatedBy: Uuid.nullable(),
  version: z.number().int(),
};

export interface AuditRow {
  id: string;
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
  updated_by: string | null;
  version: number;
}

export function auditOf(row: AuditRow) {
  return {
    id: row.id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    version: row.version,
  };
}

export const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

/** A path or list-filter id that is not a UUID names nothing the caller can see: 404, not 400. */
export function pathId(raw: string): string {
  if (!z.uuid().safeParse(raw).success) throw new Problem('not_found');
  return raw;
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** The error answers any authenticated route may give, for the OpenAPI document. */
export const errorResponses = {
  400: problem('Invalid request (validation_failed)'),
  401: problem('No valid session (unauthenticated)'),
  403: problem('Role may not do this, or cross-site request (forbidden)'),
  404: problem('Not found in your organisation (not_found)'),
} as const;
export const writeErrorResponses = {
  ...errorResponses,
  409: problem('Conflict with current state (conflict, invalid_transition)'),
  412: problem('If-Match version is stale (precondition_failed)'),
  422: problem('Refers to something you cannot see, or breaks a rule (unprocessable)'),
} as const;

/** 429 from a per-account or per-address limit; Retry-After says when to try again. */
export const rateLimitedResponse = {
  description: 'Too many attempts (rate_limited); wait the Retry-After seconds',
  headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' as const } } },
  content: { 'application/problem+json': { schema: ProblemSchema } },
};

/** Every operation with a JSON body may answer 413 (over 1 MiB; 16 MiB for POST /metrics). */
export const payloadTooLargeResponse = problem('The body is over the size limit (payload_too_large)');

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } };
}

// ------------------------------------------------------------------------------------------
// Lists: cursor pagination
// ------------------------------------------------------------------------------------------

export const ListQueryFields = {
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: 'At most 200' }),
  cursor: z.string().max(500).optional().openapi({ description: 'nextCursor of the previous page' }),
};

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Cursors are opaque to clients: the sort key and id of the last row, base64url JSON. */
export function encodeCursor(key: string | number | null, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { key: string | number | null; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[1] === 'string' && z.uuid().safeParse(v[1]).success) {
      const key = v[0];
      if (key === null || typeof key === 'string' || typeof key === 'number') return { key, id: v[1] };
    }
  } catch {}
  throw new Problem('validation_failed', 'The cursor is not valid', {
    errors: [{ path: 'cursor', message: 'Invalid cursor' }],
  });
}

/**
 * A timestamp column as an ISO string with microseconds. PostgreSQL keeps microseconds, a JS
 * Date only milliseconds: a cursor built from a Date repeats rows that share a millisecond.
 */
export function micros(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * The client of a row that hangs off a campaign or a post (an asset, a note), from its
 * `<alias>.campaign_id` and `<alias>.scheduled_post_id`: the campaign's client, or the post's
 * campaign's.
 */
export function targetClientId(alias: string): RawBuilder<string> {
  return sql<string>`coalesce(
    (SELECT c.client_id FROM campaigns c WHERE c.id = ${sql.ref(`${alias}.campaign_id`)}),
    (SELECT c.client_id FROM scheduled_posts p JOIN campaigns c ON c.id = p.campaign_id
      WHERE p.id = ${sql.ref(`${alias}.scheduled_post_id`)}))`;
}

/** Decodes a cursor whose key is a micros() timestamp. */
export function createdCursor(cursor: string | undefined): { at: string; id: string } | undefined {
  const after = decodeCursor(cursor);
  if (!after) return undefined;
  if (typeof after.key !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(after.key)) {
    throw new Problem('validation_failed', 'The cursor is not valid', {
      errors: [{ path: 'cursor', message: 'Invalid cursor' }],
    });
  }
  return { at: after.key, id: after.id };
}

/**
 * The transaction's organisation, named in list queries so their index (led by
 * organisation_id) can seek: row security's policy alone is an OR no index scan can start from.
 */
export const currentOrganisation = sql<string>`app_organisation_id()`;

/** Cuts one extra row off a page fetched with limit + 1 and builds the next cursor. */
export function toPage<R, T>(rows: R[], limit: number, map: (r: R) => T, cursorOf: (r: R) => string) {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  return { items: slice.map(map), nextCursor: more ? cursorOf(slice[slice.length - 1]!) : null };
}

// ------------------------------------------------------------------------------------------
// Access and concurrency
// ------------------------------------------------------------------------------------------

/** Who is writing: recorded as created_by/updated_by and as the change's actor. */
export interface Actor {
  userId: string;
  organisationId: string;
}

/** Locks the row, checks existence (404) and If-Match (412): shared by every versioned update. */
export async function lockForUpdate<T extends { version: number }>(
  load: () => Promise<T | undefined>,
  what: string,
  expectedVersion: number | undefined,
): Promise<T> {
  const row = await load();
  if (!row) throw new Problem('not_found', `No such ${what}`);
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw new Problem('precondition_failed', `The ${what} is at version ${row.version}, not ${expectedVersion}`);
  }
  return row;
}

export function requirePermission(auth: SessionUser, permission: Permission, what = 'do this'): void {
  if (!can(auth.role, permission)) {
    throw new Problem('forbidden', `Your role (${auth.role}) may not ${what}`);
  }
}

/** `If-Match: "<version>"` (weak or strong form, or a bare number) → the version, if sent. */
export function ifMatch(c: Context): number | undefined {
  const h = c.req.header('if-match');
  if (h === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(h);
  if (!m) {
    throw new Problem('validation_failed', 'If-Match must be a quoted version number, e.g. "3"', {
      errors: [{ path: 'If-Match', message: 'Expected "<version>"' }],
    });
  }
  return Number(m[1]);
}

export function etag(version: number): string {
  return `"${version}"`;
}

/** Maps a database refusal to the contract's problem, so a constraint never surfaces as a 500. */
export function fromDbError(
  err: unknown,
  messages: { unique?: string; foreignKey?: string; check?: string } = {},
): never {
  const e = err as { code?: string; constraint?: string };
  switch (e?.code) {
    case '23505':
      throw new Problem('conflict', messages.unique ?? 'Something with these values already exists');
    case '23503':
      throw new Problem('unprocessable', messages.foreignKey ?? 'A referenced record does not exist');
    case '23514':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22P02':
      throw new Problem('unprocessable', messages.check ?? 'A value is outside what is allowed');
    case '22021':
      // PostgreSQL text cannot hold NUL bytes.
      throw new Problem('validation_failed', 'Text must not contain NUL characters');
    default:
      throw err;
  }
}
