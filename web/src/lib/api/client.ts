/**
 * The one module that talks HTTP to the Chorus API, through the typed openapi-fetch client of
 * `@chorus/shared`: every path, parameter, body and answer is checked against the OpenAPI
 * document the server generates. Pages call `api.*` and get data or an ApiError.
 */
import { type components, createApiClient, type Problem } from '@chorus/shared';
import { realtime } from '../live/realtime.svelte.ts';
import { reads } from '../offline/local.ts';
import { network } from '../offline/network.svelte.ts';

/** Problems and field errors as plain sentences (one mapping, in messages.ts). */
export { errorMessage } from '../messages.ts';

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
export type AssetKind = 'image' | 'video' | 'document';
export type AssetQuery = {
  campaignId?: string;
  postId?: string;
  clientId?: string;
  type?: AssetKind;
  q?: string;
  order?: 'oldest' | 'newest';
};
/** What a file is, for filters and previews. */
export const assetKind = (a: Pick<Asset, 'mediaType'>): AssetKind =>
  a.mediaType.startsWith('image/') ? 'image' : a.mediaType.startsWith('video/') ? 'video' : 'document';
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

/** Answers served from this device's copy carry this header (never sent by the server). */
export const OFFLINE_HEADER = 'x-chorus-offline';

/**
 * Every request goes through here. A GET's answer is kept on this device for the signed-in
 * member; when the server cannot be reached the kept answer is served instead (marked with
 * OFFLINE_HEADER), and the change feed will resume from the oldest position such an answer was
 * read at, so the page catches up with no gap once the connection is back. `/me` is kept by
 * the session itself (it decides whose copies these are).
 */
async function offlineFetch(input: Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input.url);
  const key = url.pathname + url.search;
  const keep = input.method === 'GET' && url.pathname !== '/api/v1/me';
  let res: Response;
  try {
    res = await fetch(input, init);
  } catch (err) {
    network.saw(false);
    const stored = keep ? await reads.get(key) : undefined;
    if (!stored) throw err;
    realtime.resumeNoLaterThan(stored.seq);
    const headers = new Headers({ 'content-type': 'application/json', [OFFLINE_HEADER]: String(stored.at) });
    if (stored.seq !== undefined) headers.set('x-chorus-seq', String(stored.seq));
    return new Response(JSON.stringify(stored.data), { status: 200, headers });
  }
  network.saw(true);
  if (keep && res.ok && res.headers.get('content-type')?.includes('json')) {
    const seq = seqOf(res);
    void res
      .clone()
      .json()
      .then((data) => reads.put(key, { data, seq, at: Date.now() }))
      .catch(() => {});
  }
  return res;
}

const http = createApiClient({ fetch: offlineFetch as typeof fetch });

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** Every openapi-fetch answer passes here: the data, or an ApiError carrying the problem. */
async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  return (await unwrapAt(call)).data;
}

/**
 * The change-feed head the answer's state was read at (`X-Chorus-Seq`): every change up to it
 * is already in the answer, so live changes from there on complete it.
 */
function seqOf(response: Response): number | undefined {
  const raw = response.headers.get('x-chorus-seq');
  const n = raw === null ? Number.NaN : Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A loaded list and the feed head its first page was read at. */
export type Listed<T> = T[] & { seq?: number };

async function unwrapAt<T>(call: Promise<Answer<T>>): Promise<{ data: T; seq: number | undefined }> {
  let r: Answer<T>;
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
  return { data: r.data as T, seq: seqOf(r.response) };
}

/**
 * Walks every page of a cursor-paginated list (or the first `max` items). The list carries the
 * feed head of its first page: changes after it may be missing from the pages, never earlier ones.
 */
async function all<T>(
  page: (cursor: string | undefined) => Promise<Answer<{ items: T[]; nextCursor: string | null }>>,
  max = Number.POSITIVE_INFINITY,
): Promise<Listed<T>> {
  const out: Listed<T> = [];
  let cursor: string | undefined;
  do {
    const p = await unwrapAt(page(cursor));
    out.seq ??= p.seq;
    out.push(...p.data.items);
    cursor = p.data.nextCursor ?? undefined;
  } while (cursor && out.length < max);
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
  invitations: () => all((cursor) => http.GET('/invitations', { params: { query: { limit: 200, cursor } } })),
  revokeInvitation: (iid: string) => unwrap(http.DELETE('/invitations/{id}', id(iid))),
  resendInvitation: (iid: string) => unwrap(http.POST('/invitations/{id}/resend', id(iid))),
  notifications: (q: { unread?: 'true' | 'false'; cursor?: string; limit?: number } = {}) =>
    unwrap(http.GET('/notifications', { params: { query: { limit: 50, ...q } } })),
  markNotificationsRead: (b: { ids: string[] } | { all: true }) =>
    unwrap(http.POST('/notifications/read', { body: b })),
  outbox: () => unwrap(http.GET('/mail/outbox')).then((r) => r.items),
  /** Who is signed in, and the feed head that answer was read at (where a new tab joins). */
  meAt: () => unwrapAt(http.GET('/me')),

  users: () => all((cursor) => http.GET('/users', { params: { query: { limit: 200, cursor } } })),
  patchUser: (uid: string, b: S['UserPatch']) => unwrap(http.PATCH('/users/{id}', { ...id(uid), body: b })),
  invite: (b: S['InvitationBody']) => unwrap(http.POST('/invitations', { body: b })),

  referenceData: (category: ReferenceDataItem['category']) =>
    unwrap(http.GET('/reference-data', { params: { query: { category } } })).then((r) => r.items),

  organisation: () => unwrap(http.GET('/organisation')),
  patchOrganisation: (b: S['OrganisationPatch'], version?: number) =>
    unwrap(http.PATCH('/organisation', { body: b, headers: ifMatch(version) })),

  // The list form answers 200 with none set, where the single one would log a 404.
  webhook: () => unwrap(http.GET('/organisation/webhooks')).then((r) => r.items[0] ?? null),
  putWebhook: (b: S['WebhookEndpointPut']) => unwrap(http.PUT('/organisation/webhook', { body: b })),
  deleteWebhook: () => unwrap(http.DELETE('/organisation/webhook')),
  connectorAccounts: () => unwrap(http.GET('/organisation/connectors')).then((r) => r.items),
  putConnectorAccount: (platform: string, b: S['ConnectorAccountPut']) =>
    unwrap(http.PUT('/organisation/connectors/{platform}', { params: { path: { platform } }, body: b })),
  deleteConnectorAccount: (platform: string) =>
    unwrap(http.DELETE('/organisation/connectors/{platform}', { params: { path: { platform } } })),

  clients: () => all((cursor) => http.GET('/clients', { params: { query: { limit: 200, cursor } } })),
  client: (cid: string) => unwrap(http.GET('/clients/{id}', id(cid))),
  createClient: (b: S['ClientCreate']) => unwrap(http.POST('/clients', { body: b })),
  patchClient: (cid: string, b: S['ClientPatch']) => unwrap(http.PATCH('/clients/{id}', { ...id(cid), body: b })),
  deleteClient: (cid: string) => unwrap(http.DELETE('/clients/{id}', id(cid))),

  campaigns: (clientId?: string) =>
    all((cursor) => http.GET('/campaigns', { params: { query: { clientId, limit: 200, cursor } } })),
  campaign: (cid: string) => unwrap(http.GET('/campaigns/{id}', id(cid))),
  campaignSummary: (cid: string) => unwrap(http.GET('/campaigns/{id}/summary', id(cid))),
  createCampaign: (b: S['CampaignCreate']) => unwrap(http.POST('/campaigns', { body: b })),
  patchCampaign: (cid: string, b: S['CampaignPatch']) => unwrap(http.PATCH('/campaigns/{id}', { ...id(cid), body: b })),
  deleteCampaign: (cid: string) => unwrap(http.DELETE('/campaigns/{id}', id(cid))),

  /** Every post matching `q`, or only the first `max` of them (in scheduled order). */
  posts: (q: ListPostsQuery = {}, max = Number.POSITIVE_INFINITY) =>
    all((cursor) => http.GET('/posts', { params: { query: { ...q, limit: Math.min(200, max), cursor } } }), max),
  /**
   * Every post scheduled in [from, to), asked for as `parts` time slices at once: a busy month
   * is several pages, and slices load side by side where one cursor walk would go page by page.
   * The list carries the oldest feed head of its slices.
   */
  postsBetween: async (from: Date, to: Date, parts = 6): Promise<Listed<Post>> => {
    const step = (to.getTime() - from.getTime()) / parts;
    const edges = Array.from({ length: parts + 1 }, (_, i) =>
      i === parts ? to : new Date(from.getTime() + Math.round(step * i)),
    );
    const slices = await Promise.all(
      edges.slice(0, -1).map((f, i) => api.posts({ from: f.toISOString(), to: edges[i + 1]!.toISOString() })),
    );
    const out: Listed<Post> = slices.flat();
    const seqs = slices.map((s) => s.seq);
    out.seq = seqs.every((s) => s !== undefined) ? Math.min(...(seqs as number[])) : undefined;
    return out;
  },
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

  /**
   * Files uploaded to a campaign, the files a post uses, or (with neither) the organisation's
   * library narrowed by client, kind and name; `max` stops after that many.
   */
  assets: (q: AssetQuery = {}, max?: number) =>
    all(
      (cursor) => http.GET('/assets', { params: { query: { ...q, limit: Math.min(200, max ?? 200), cursor } } }),
      max,
    ),
  /**
   * Uploads one file as multipart. XMLHttpRequest rather than fetch: only it reports upload
   * progress, which `onProgress` receives in percent.
   */
  uploadAsset: (file: File, target: { campaignId?: string; postId?: string }, onProgress?: (pct: number) => void) =>
    new Promise<Asset>((resolve, reject) => {
      const form = new FormData();
      if (target.campaignId) form.set('campaignId', target.campaignId);
      if (target.postId) form.set('postId', target.postId);
      form.set('file', file);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/v1/assets');
      xhr.withCredentials = true;
      xhr.responseType = 'json';
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress?.(Math.round((e.loaded / e.total) * 100));
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) return resolve(xhr.response as Asset);
        const body = xhr.response as Problem | null;
        reject(
          new ApiError(
            xhr.status,
            body && typeof body === 'object' && 'code' in body
              ? body
              : {
                  type: 'about:blank',
                  title: xhr.statusText,
                  status: xhr.status,
                  code: 'unknown',
                  detail: xhr.statusText,
                },
          ),
        );
      };
      xhr.onerror = () =>
        reject(
          new ApiError(0, {
            type: 'about:blank',
            title: 'Network error',
            status: 0,
            code: 'network',
            detail: 'The server could not be reached.',
          }),
        );
      xhr.send(form);
    }),
  deleteAsset: (aid: string) => unwrap(http.DELETE('/assets/{id}', id(aid))),

  notes: (q: { campaignId?: string; postId?: string }) =>
    all((cursor) => http.GET('/notes', { params: { query: { ...q, limit: 200, cursor } } })),
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
