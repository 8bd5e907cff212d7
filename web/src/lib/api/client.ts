/**
 * The one module that talks HTTP to the Chorus API, through the typed openapi-fetch client of
 * `@chorus/shared`: every path, parameter, body and answer is checked against the OpenAPI
 * document the server generates. Pages call `api.*` and get data or an ApiError.
 */
import { type components, createApiClient, type Problem } from '@chorus/shared';

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
export type MeUser = S['MeUser'];
export type PendingInvitation = S['PendingInvitation'];
export type SessionItem = S['SessionItem'];
export type Notification = S['Notification'];
export type OutboxMail = S['OutboxMail'];
export type PostVersion = S['PostVersion'];
export type SearchHit = S['SearchHit'];
export type NoteAnchor = S['NoteAnchor'];

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

const http = createApiClient();

/** Every openapi-fetch answer passes here: the data, or an ApiError carrying the problem. */
async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await call;
  } catch {
    throw new ApiError(0, {
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      code: 'network',
      detail: 'The server could not be reached.',
    });
  }
  if (!r.response.ok) {
    const e = r.error;
    const problem: Problem =
      e && typeof e === 'object' && 'code' in e
        ? (e as Problem)
        : {
            type: 'about:blank',
            title: r.response.statusText,
            status: r.response.status,
            code: 'unknown',
            detail: r.response.statusText,
          };
    throw new ApiError(r.response.status, problem);
  }
  return r.data as T;
}

/** Walks every page of a cursor-paginated list. */
async function all<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    out.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

const ifMatch = (version?: number) => (version === undefined ? undefined : { 'if-match': `"${version}"` });
const id = (v: string) => ({ params: { path: { id: v } } });

export type ListPostsQuery = { campaignId?: string; status?: PostStatus; from?: string; to?: string };

export const api = {
  register: (b: S['RegisterBody']) => unwrap(http.POST('/auth/register', { body: b })),
  login: (b: S['LoginBody']) => unwrap(http.POST('/auth/login', { body: b })),
  logout: () => unwrap(http.POST('/auth/logout')),
  acceptInvitation: (b: S['AcceptInvitationBody']) => unwrap(http.POST('/auth/accept-invitation', { body: b })),
  me: () => unwrap(http.GET('/me')),
  requestPasswordReset: (email: string) => unwrap(http.POST('/auth/password-reset', { body: { email } })),
  confirmPasswordReset: (token: string, password: string) =>
    unwrap(http.POST('/auth/password-reset/confirm', { body: { token, password } })),
  requestMagicLink: (email: string) => unwrap(http.POST('/auth/magic-link', { body: { email } })),
  verifyMagicLink: (token: string) => unwrap(http.POST('/auth/magic-link/verify', { body: { token } })),
  patchMe: (b: S['MePatch']) => unwrap(http.PATCH('/me', { body: b })),
  changePassword: (b: S['PasswordChangeBody']) => unwrap(http.POST('/me/password', { body: b })),
  sessions: () => unwrap(http.GET('/me/sessions')).then((r) => r.items),
  endSession: (sid: string) => unwrap(http.DELETE('/me/sessions/{id}', id(sid))),
  invitations: () => all((cursor) => unwrap(http.GET('/invitations', { params: { query: { limit: 200, cursor } } }))),
  revokeInvitation: (iid: string) => unwrap(http.DELETE('/invitations/{id}', id(iid))),
  resendInvitation: (iid: string) => unwrap(http.POST('/invitations/{id}/resend', id(iid))),
  notifications: (q: { unread?: 'true' | 'false'; cursor?: string; limit?: number } = {}) =>
    unwrap(http.GET('/notifications', { params: { query: { limit: 50, ...q } } })),
  markNotificationsRead: (b: { ids: string[] } | { all: true }) =>
    unwrap(http.POST('/notifications/read', { body: b })),
  outbox: () => unwrap(http.GET('/mail/outbox')).then((r) => r.items),

  users: () => all((cursor) => unwrap(http.GET('/users', { params: { query: { limit: 200, cursor } } }))),
  patchUser: (uid: string, b: S['UserPatch']) => unwrap(http.PATCH('/users/{id}', { ...id(uid), body: b })),
  invite: (b: S['InvitationBody']) => unwrap(http.POST('/invitations', { body: b })),

  referenceData: (category: ReferenceDataItem['category']) =>
    unwrap(http.GET('/reference-data', { params: { query: { category } } })).then((r) => r.items),

  organisation: () => unwrap(http.GET('/organisation')),
  patchOrganisation: (b: S['OrganisationPatch'], version?: number) =>
    unwrap(http.PATCH('/organisation', { body: b, headers: ifMatch(version) })),

  webhook: () =>
    unwrap(http.GET('/organisation/webhook')).catch((e) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }),
  putWebhook: (b: S['WebhookEndpointPut']) => unwrap(http.PUT('/organisation/webhook', { body: b })),
  deleteWebhook: () => unwrap(http.DELETE('/organisation/webhook')),
  connectorAccounts: () => unwrap(http.GET('/organisation/connectors')).then((r) => r.items),
  putConnectorAccount: (platform: string, b: S['ConnectorAccountPut']) =>
    unwrap(http.PUT('/organisation/connectors/{platform}', { params: { path: { platform } }, body: b })),
  deleteConnectorAccount: (platform: string) =>
    unwrap(http.DELETE('/organisation/connectors/{platform}', { params: { path: { platform } } })),

  clients: () => all((cursor) => unwrap(http.GET('/clients', { params: { query: { limit: 200, cursor } } }))),
  client: (cid: string) => unwrap(http.GET('/clients/{id}', id(cid))),
  createClient: (b: S['ClientCreate']) => unwrap(http.POST('/clients', { body: b })),
  patchClient: (cid: string, b: S['ClientPatch']) => unwrap(http.PATCH('/clients/{id}', { ...id(cid), body: b })),
  deleteClient: (cid: string) => unwrap(http.DELETE('/clients/{id}', id(cid))),

  campaigns: (clientId?: string) =>
    all((cursor) => unwrap(http.GET('/campaigns', { params: { query: { clientId, limit: 200, cursor } } }))),
  campaign: (cid: string) => unwrap(http.GET('/campaigns/{id}', id(cid))),
  campaignSummary: (cid: string) => unwrap(http.GET('/campaigns/{id}/summary', id(cid))),
  createCampaign: (b: S['CampaignCreate']) => unwrap(http.POST('/campaigns', { body: b })),
  patchCampaign: (cid: string, b: S['CampaignPatch']) => unwrap(http.PATCH('/campaigns/{id}', { ...id(cid), body: b })),
  deleteCampaign: (cid: string) => unwrap(http.DELETE('/campaigns/{id}', id(cid))),

  posts: (q: ListPostsQuery = {}) =>
    all((cursor) => unwrap(http.GET('/posts', { params: { query: { ...q, limit: 200, cursor } } }))),
  post: (pid: string) => unwrap(http.GET('/posts/{id}', id(pid))),
  createPost: (b: S['PostCreate']) => unwrap(http.POST('/posts', { body: b })),
  patchPost: (pid: string, b: S['PostPatch'], version?: number) =>
    unwrap(http.PATCH('/posts/{id}', { ...id(pid), body: b, headers: ifMatch(version) })),
  deletePost: (pid: string) => unwrap(http.DELETE('/posts/{id}', id(pid))),
  setStatus: (pid: string, status: PostStatus, reason?: string) =>
    unwrap(http.POST('/posts/{id}/status', { ...id(pid), body: reason ? { status, reason } : { status } })),

  ingestMetrics: (snapshots: MetricSnapshot[]) => unwrap(http.POST('/metrics', { body: { snapshots } })),
  postMetrics: (pid: string, q: { from?: string; to?: string; interval?: 'hour' | 'day' } = {}) =>
    unwrap(http.GET('/posts/{id}/metrics', { params: { path: { id: pid }, query: q } })),
  campaignMetrics: (cid: string, q: { from?: string; to?: string; interval?: 'hour' | 'day' } = {}) =>
    unwrap(http.GET('/campaigns/{id}/metrics', { params: { path: { id: cid }, query: q } })),

  assets: (q: { campaignId?: string; postId?: string }) =>
    all((cursor) => unwrap(http.GET('/assets', { params: { query: { ...q, limit: 200, cursor } } }))),
  uploadAsset: (file: File, target: { campaignId?: string; postId?: string }) => {
    const form = new FormData();
    if (target.campaignId) form.set('campaignId', target.campaignId);
    if (target.postId) form.set('postId', target.postId);
    form.set('file', file);
    // Sent as the browser builds multipart (its own boundary), not serialised as JSON.
    return unwrap(http.POST('/assets', { body: form as never, bodySerializer: (b) => b as unknown as FormData }));
  },
  deleteAsset: (aid: string) => unwrap(http.DELETE('/assets/{id}', id(aid))),

  notes: (q: { campaignId?: string; postId?: string }) =>
    all((cursor) => unwrap(http.GET('/notes', { params: { query: { ...q, limit: 200, cursor } } }))),
  createNote: (b: S['NoteCreate']) => unwrap(http.POST('/notes', { body: b })),
  patchNote: (nid: string, body: string) => unwrap(http.PATCH('/notes/{id}', { ...id(nid), body: { body } })),
  resolveNote: (nid: string, resolved: boolean) =>
    unwrap(http.PATCH('/notes/{id}', { ...id(nid), body: { resolved } })),

  versions: (pid: string) => unwrap(http.GET('/posts/{id}/versions', id(pid))),
  restoreVersion: (pid: string, versionId: string) =>
    unwrap(http.POST('/posts/{id}/versions/{versionId}/restore', { params: { path: { id: pid, versionId } } })),

  search: (q: string, limit = 10) => unwrap(http.GET('/search', { params: { query: { q, limit } } })),
  deleteNote: (nid: string) => unwrap(http.DELETE('/notes/{id}', id(nid))),
};

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.problem.errors?.map((x) => `${x.path}: ${x.message}`).join('; ');
    return fields ? `${e.problem.detail} (${fields})` : e.problem.detail || e.problem.title;
  }
  return e instanceof Error ? e.message : String(e);
}
