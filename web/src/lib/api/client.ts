/**
 * The one module that talks HTTP to the Chorus API. Every request goes through `request`, so
 * moving to the OpenAPI client in `@chorus/shared` later touches only this file.
 */
import type { components, Problem } from '@chorus/shared';

type S = components['schemas'];
export type User = S['User'];
export type Role = User['role'];
export type Organisation = S['Organisation'];
export type Me = S['Me'];
export type Client = S['Client'];
export type Campaign = S['Campaign'];
export type CampaignSummary = S['CampaignSummary'];
export type Post = S['Post'];
export type PostStatus = Post['status'];
export type Note = S['Note'];
export type Asset = S['Asset'];
export type MetricSeries = S['MetricSeries'];
export type MetricSnapshot = S['MetricSnapshot'];
export type ReferenceDataItem = S['ReferenceDataItem'];
export type Invitation = S['Invitation'];
export type SessionAnswer = S['SessionAnswer'];
export type WebhookEndpoint = S['WebhookEndpoint'];
export type ConnectorAccount = S['ConnectorAccount'];
export type Page<T> = { items: T[]; nextCursor: string | null };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }
  get code() {
    return this.problem.code;
  }
}

type Query = Record<string, string | number | undefined | null>;

function qs(query?: Query) {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function request<T>(
  method: string,
  path: string,
  opts: { query?: Query; body?: unknown; form?: FormData; ifMatch?: number } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (opts.ifMatch !== undefined) headers['if-match'] = `"${opts.ifMatch}"`;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${qs(opts.query)}`, { method, headers, body, credentials: 'include' });
  } catch {
    throw new ApiError(0, {
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      code: 'network',
      detail: 'The server could not be reached.',
    });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const problem: Problem =
      json && typeof json === 'object' && 'code' in json
        ? json
        : { type: 'about:blank', title: res.statusText, status: res.status, code: 'unknown', detail: res.statusText };
    throw new ApiError(res.status, problem);
  }
  return json as T;
}

/** Walks every page of a cursor-paginated list. */
async function all<T>(path: string, query: Query = {}): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null | undefined;
  do {
    const page: Page<T> = await request('GET', path, { query: { ...query, limit: 200, cursor } });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

export type ListPostsQuery = { campaignId?: string; status?: PostStatus; from?: string; to?: string };

export const api = {
  register: (b: S['RegisterBody']) => request<SessionAnswer>('POST', '/auth/register', { body: b }),
  login: (b: S['LoginBody']) => request<SessionAnswer>('POST', '/auth/login', { body: b }),
  logout: () => request<void>('POST', '/auth/logout'),
  acceptInvitation: (b: S['AcceptInvitationBody']) =>
    request<SessionAnswer>('POST', '/auth/accept-invitation', { body: b }),
  me: () => request<Me>('GET', '/me'),

  users: () => all<User>('/users'),
  patchUser: (id: string, b: S['UserPatch']) => request<User>('PATCH', `/users/${id}`, { body: b }),
  invite: (b: S['InvitationBody']) => request<Invitation>('POST', '/invitations', { body: b }),

  referenceData: (category: ReferenceDataItem['category']) =>
    request<{ items: ReferenceDataItem[] }>('GET', '/reference-data', { query: { category } }).then((r) => r.items),

  organisation: () => request<Organisation>('GET', '/organisation'),
  patchOrganisation: (b: S['OrganisationPatch'], version?: number) =>
    request<Organisation>('PATCH', '/organisation', { body: b, ifMatch: version }),

  webhook: () =>
    request<WebhookEndpoint>('GET', '/organisation/webhook').catch((e) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }),
  putWebhook: (b: S['WebhookEndpointPut']) => request<WebhookEndpoint>('PUT', '/organisation/webhook', { body: b }),
  deleteWebhook: () => request<void>('DELETE', '/organisation/webhook'),
  connectorAccounts: () =>
    request<{ items: ConnectorAccount[] }>('GET', '/organisation/connectors').then((r) => r.items),
  putConnectorAccount: (platform: string, b: S['ConnectorAccountPut']) =>
    request<ConnectorAccount>('PUT', `/organisation/connectors/${encodeURIComponent(platform)}`, { body: b }),
  deleteConnectorAccount: (platform: string) =>
    request<void>('DELETE', `/organisation/connectors/${encodeURIComponent(platform)}`),

  clients: () => all<Client>('/clients'),
  client: (id: string) => request<Client>('GET', `/clients/${id}`),
  createClient: (b: S['ClientCreate']) => request<Client>('POST', '/clients', { body: b }),
  patchClient: (id: string, b: S['ClientPatch']) => request<Client>('PATCH', `/clients/${id}`, { body: b }),
  deleteClient: (id: string) => request<void>('DELETE', `/clients/${id}`),

  campaigns: (clientId?: string) => all<Campaign>('/campaigns', { clientId }),
  campaign: (id: string) => request<Campaign>('GET', `/campaigns/${id}`),
  campaignSummary: (id: string) => request<CampaignSummary>('GET', `/campaigns/${id}/summary`),
  createCampaign: (b: S['CampaignCreate']) => request<Campaign>('POST', '/campaigns', { body: b }),
  patchCampaign: (id: string, b: S['CampaignPatch']) => request<Campaign>('PATCH', `/campaigns/${id}`, { body: b }),
  deleteCampaign: (id: string) => request<void>('DELETE', `/campaigns/${id}`),

  posts: (q: ListPostsQuery = {}) => all<Post>('/posts', q),
  post: (id: string) => request<Post>('GET', `/posts/${id}`),
  createPost: (b: S['PostCreate']) => request<Post>('POST', '/posts', { body: b }),
  patchPost: (id: string, b: S['PostPatch'], version?: number) =>
    request<Post>('PATCH', `/posts/${id}`, { body: b, ifMatch: version }),
  deletePost: (id: string) => request<void>('DELETE', `/posts/${id}`),
  setStatus: (id: string, status: PostStatus, reason?: string) =>
    request<Post>('POST', `/posts/${id}/status`, { body: reason ? { status, reason } : { status } }),

  ingestMetrics: (snapshots: MetricSnapshot[]) =>
    request<S['MetricsIngestAnswer']>('POST', '/metrics', { body: { snapshots } }),
  postMetrics: (id: string, q: { from?: string; to?: string; interval?: 'hour' | 'day' } = {}) =>
    request<MetricSeries>('GET', `/posts/${id}/metrics`, { query: q }),
  campaignMetrics: (id: string, q: { from?: string; to?: string; interval?: 'hour' | 'day' } = {}) =>
    request<MetricSeries>('GET', `/campaigns/${id}/metrics`, { query: q }),

  assets: (q: { campaignId?: string; postId?: string }) => all<Asset>('/assets', q),
  uploadAsset: (file: File, target: { campaignId?: string; postId?: string }) => {
    const form = new FormData();
    if (target.campaignId) form.set('campaignId', target.campaignId);
    if (target.postId) form.set('postId', target.postId);
    form.set('file', file);
    return request<Asset>('POST', '/assets', { form });
  },
  deleteAsset: (id: string) => request<void>('DELETE', `/assets/${id}`),

  notes: (q: { campaignId?: string; postId?: string }) => all<Note>('/notes', q),
  createNote: (b: S['NoteCreate']) => request<Note>('POST', '/notes', { body: b }),
  patchNote: (id: string, body: string) => request<Note>('PATCH', `/notes/${id}`, { body: { body } }),
  deleteNote: (id: string) => request<void>('DELETE', `/notes/${id}`),
};

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.problem.errors?.map((x) => `${x.path}: ${x.message}`).join('; ');
    return fields ? `${e.problem.detail} (${fields})` : e.problem.detail || e.problem.title;
  }
  return e instanceof Error ? e.message : String(e);
}
