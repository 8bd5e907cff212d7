import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './api.d.ts';

export type { components, paths } from './api.d.ts';
export type ApiClient = Client<paths>;

/**
 * The typed Chorus API client: paths, bodies and answers all checked against the OpenAPI
 * document. In the browser it rides on the session cookie; elsewhere pass a bearer token.
 */
export function createApiClient(options: { baseUrl?: string; token?: string; fetch?: typeof fetch } = {}): ApiClient {
  return createClient<paths>({
    baseUrl: options.baseUrl ?? '/api/v1',
    credentials: 'include',
    headers: options.token ? { authorization: `Bearer ${options.token}` } : undefined,
    fetch: options.fetch,
  });
}

/** The problem+json body every error answers. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
};
