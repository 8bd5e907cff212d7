import { createRoute } from '@hono/zod-openapi';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import { removeAssetFiles } from '../assets/storage.ts';
import {
  errorResponses,
  etag,
  IdParam,
  ifMatch,
  json,
  jsonBody,
  page,
  pathId,
  requirePermission,
  writeErrorResponses,
} from '../common.ts';
import {
  Post,
  PostCreate,
  PostListQuery,
  PostPatch,
  PostStatusChange,
  PostVersionList,
  VersionParams,
} from './schema.ts';
import {
  changeStatus,
  createPost,
  deletePost,
  getPost,
  listPosts,
  listVersions,
  restoreVersion,
  updatePost,
} from './service.ts';

const tags = ['Posts'];

const list = createRoute({
  method: 'get',
  path: '/posts',
  tags,
  summary: 'Posts by scheduledAt, then id (unscheduled last); filter by campaignId, status, from, to',
  description: 'from is inclusive and to exclusive, both on scheduledAt; a time filter leaves out unscheduled posts.',
  middleware: [requireAuth] as const,
  request: { query: PostListQuery },
  responses: { 200: json(page(Post), 'A page of posts'), ...errorResponses },
});
const create = createRoute({
  method: 'post',
  path: '/posts',
  tags,
  summary: 'Create a draft post (editor and above)',
  description:
    "platform defaults to the campaign's. assetIds moves existing assets of your organisation onto the post (422 naming the field for an id you cannot see). Platform rules are not checked for drafts.",
  middleware: [requireAuth] as const,
  request: jsonBody(PostCreate),
  responses: { 201: json(Post, 'Created as draft'), ...writeErrorResponses },
});
const get = createRoute({
  method: 'get',
  path: '/posts/{id}',
  tags,
  summary: 'One post',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 200: json(Post, 'The post'), ...errorResponses },
});
const patch = createRoute({
  method: 'patch',
  path: '/posts/{id}',
  tags,
  summary: 'Edit a post (editor and above); honours If-Match',
  description:
    'A change to the content, platform or media (assetIds) of an approved, client_review or scheduled post sends it back to in_review. A scheduled post keeps a future scheduledAt (422 otherwise). campaignId moves the post to another campaign (422 naming the field if not visible). Content is merged into the live collaborative document as a diff. The content, platform and media of a publishing, published or cancelled post cannot change (409 conflict); publishing and published posts cannot be edited at all.',
  middleware: [requireAuth] as const,
  request: { params: IdParam, ...jsonBody(PostPatch) },
  responses: { 200: json(Post, 'Updated'), ...writeErrorResponses },
});
const remove = createRoute({
  method: 'delete',
  path: '/posts/{id}',
  tags,
  summary: 'Delete a post with its notes and assets (editor and above)',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses },
});
const status = createRoute({
  method: 'post',
  path: '/posts/{id}/status',
  tags,
  summary: 'Move a post through its status machine',
  description:
    "The moves are listed in docs/api-rules.md. In short: draft → in_review → (approved | changes_requested); with the client's approvalPolicy team_and_client the team's approval moves in_review → client_review and a client member's approval client_review → (approved | changes_requested); changes_requested → in_review; approved → scheduled (future scheduledAt and valid content); failed → scheduled; any non-published status → cancelled; cancelled → draft; in_review | approved | scheduled → draft. Approve, request changes, schedule and cancel need manager or above; submit, withdraw and resubmit editor or above; publishing/published/failed are the publisher's. 409 invalid_transition otherwise; 422 naming the platform rule a post breaks when submitted or scheduled (errors[].path is content or assetIds). reason is kept as statusReason for changes_requested and cancelled. Every move records a version. Honours If-Match.",
  middleware: [requireAuth] as const,
  request: { params: IdParam, ...jsonBody(PostStatusChange) },
  responses: { 200: json(Post, 'The post in its new status'), ...writeErrorResponses },
});

const versions = createRoute({
  method: 'get',
  path: '/posts/{id}/versions',
  tags,
  summary: "A post's versions, newest first",
  description: 'One version each time the post was created or its status changed, holding the content at that moment.',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 200: json(PostVersionList, 'The versions'), ...errorResponses },
});
const restore = createRoute({
  method: 'post',
  path: '/posts/{id}/versions/{versionId}/restore',
  tags,
  summary: "Put a version's content back (editor and above)",
  description:
    'An edit like any other: an approved, client_review or scheduled post goes back to in_review, a frozen one answers 409, and the text is merged into the live document.',
  middleware: [requireAuth] as const,
  request: { params: VersionParams },
  responses: { 200: json(Post, 'The post with that content'), ...writeErrorResponses },
});

export function postRoutes() {
  return createRouter()
    .openapi(list, async (c) => {
      const auth = c.get('auth');
      const q = c.req.valid('query');
      return c.json(await withTenant(c.get('deps').db, auth, (tx) => listPosts(tx, q)), 200);
    })
    .openapi(create, async (c) => {
      const auth = c.get('auth');
      requirePermission(auth, 'post:edit', 'create posts');
      const body = c.req.valid('json');
      const post = await withTenant(c.get('deps').db, auth, (tx) => createPost(tx, auth, body));
      return c.json(post, 201, { ETag: etag(post.version) });
    })
    .openapi(get, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const post = await withTenant(c.get('deps').db, auth, (tx) => getPost(tx, id));
      return c.json(post, 200, { ETag: etag(post.version) });
    })
    .openapi(patch, async (c) => {
      const auth = c.get('auth');
      const deps = c.get('deps');
      const id = pathId(c.req.valid('param').id);
      const expected = ifMatch(c);
      const body = c.req.valid('json');
      const post = await withTenant(deps.db, auth, async (tx) => {
        await getPost(tx, id);
        requirePermission(auth, 'post:edit', 'edit posts');
        return updatePost(tx, auth, id, body, expected, deps.collab);
      });
      return c.json(post, 200, { ETag: etag(post.version) });
    })
    .openapi(remove, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const files = await withTenant(c.get('deps').db, auth, async (tx) => {
        await getPost(tx, id);
        requirePermission(auth, 'post:edit', 'delete posts');
        return deletePost(tx, auth, id);
      });
      // Files of cascaded assets go only after the delete has committed.
      await removeAssetFiles(c.get('deps').config.dataDir, files);
      return c.body(null, 204);
    })
    .openapi(status, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const expected = ifMatch(c);
      const body = c.req.valid('json');
      const post = await withTenant(c.get('deps').db, auth, (tx) =>
        changeStatus(tx, auth, id, body.status, body.reason, expected),
      );
      return c.json(post, 200, { ETag: etag(post.version) });
    })
    .openapi(versions, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      return c.json(await withTenant(c.get('deps').db, auth, (tx) => listVersions(tx, id)), 200);
    })
    .openapi(restore, async (c) => {
      const auth = c.get('auth');
      const deps = c.get('deps');
      const params = c.req.valid('param');
      const id = pathId(params.id);
      const versionId = pathId(params.versionId);
      const post = await withTenant(deps.db, auth, async (tx) => {
        await getPost(tx, id);
        requirePermission(auth, 'post:edit', 'edit posts');
        return restoreVersion(tx, auth, id, versionId, deps.collab);
      });
      return c.json(post, 200, { ETag: etag(post.version) });
    });
}
