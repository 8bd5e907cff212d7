import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ProblemCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'invalid_transition'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'invalid_token'
  | 'internal_error'
  | 'unavailable';

const STATUS: Record<ProblemCode, ContentfulStatusCode> = {
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid_transition: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  invalid_token: 400,
  internal_error: 500,
  unavailable: 503,
};

const TITLE: Record<ProblemCode, string> = {
  validation_failed: 'The request is not valid',
  unauthenticated: 'Authentication is required',
  invalid_credentials: 'Invalid credentials',
  forbidden: 'You may not do this',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  invalid_transition: 'This status change is not allowed',
  precondition_failed: 'The resource has changed',
  payload_too_large: 'The payload is too large',
  unsupported_media_type: 'Unsupported media type',
  unprocessable: 'The request cannot be processed',
  rate_limited: 'Too many requests',
  invalid_token: 'The link or token is not valid',
  internal_error: 'Internal error',
  unavailable: 'Service unavailable',
};

export interface FieldError {
  path: string;
  message: string;
}

/** An error that becomes an RFC 9457 problem+json answer. Throw it from anywhere in a request. */
export class Problem extends Error {
  readonly code: ProblemCode;
  readonly status: ContentfulStatusCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(
    code: ProblemCode,
    detail?: string,
    opts: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? TITLE[code]);
    this.code = code;
    this.status = STATUS[code];
    this.errors = opts.errors;
    this.headers = opts.headers;
  }

  body() {
    return {
      type: `https://chorus.dev/problems/${this.code.replaceAll('_', '-')}`,
      title: TITLE[this.code],
      status: this.status,
      code: this.code,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export function problemResponse(c: Context, p: Problem): Response {
  const res = c.json(p.body(), p.status, { 'Content-Type': 'application/problem+json', ...p.headers });
  return res;
}
