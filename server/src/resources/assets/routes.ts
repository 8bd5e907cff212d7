import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import {
  AuditFields,
  errorResponses,
  etag,
  IdParam,
  json,
  ListQueryFields,
  ProblemSchema,
  page,
  pathId,
  requirePermission,
  writeErrorResponses,
} from '../common.ts';
import { assetDto, createAsset, deleteAsset, getAssetRow, listAssets, overQuota, storageLeft } from './service.ts';
import { ALLOWED_TYPES, assetPath, contentDisposition, receiveUpload, removeFile, storageKeyOf } from './storage.ts';

const tags = ['Assets'];

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

const Asset = z
  .object({
    ...AuditFields,
    campaignId: z.uuid().nullable().openapi({ description: 'The campaign it was uploaded to (its home), if any' }),
    postId: z.uuid().nullable().openapi({ description: 'The post it was uploaded to (its home), if any' }),
    clientId: z.uuid().openapi({ description: "The client it belongs to: any of this client's posts may use it" }),
    fileName: z.string(),
    mediaType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    usageCount: z.number().int().openapi({ description: 'How many posts use it (their assetIds)' }),
    contentUrl: z.string(),
  })
  .openapi('Asset');

const ListQuery = z
  .strictObject({
    ...ListQueryFields,
    campaignId: z.string().optional().openapi({ description: 'Files uploaded to this campaign' }),
    postId: z.string().optional().openapi({ description: 'Files this post uses (its assetIds give their order)' }),
    clientId: z.string().optional().openapi({ description: "The client's files, wherever they were uploaded" }),
    type: z.enum(['image', 'video', 'document']).optional(),
    q: z.string().trim().max(200).optional().openapi({ description: 'Part of the file name, any case' }),
    order: z.enum(['oldest', 'newest']).default('oldest').openapi({ description: 'By upload time' }),
  })
  .refine((q) => q.campaignId === undefined || q.postId === undefined, {
    message: 'Give at most one of campaignId or postId',
    path: ['campaignId'],
  });

const upload = createRoute({
  method: 'post',
  path: '/assets',
  tags,
  summary: 'Upload a media file to a campaign or a post (editor and above)',
  description: [
    'multipart/form-data with one `file` part and a `campaignId` or `postId` field (any other field is 400).',
    'The type is decided from the bytes alone: PNG, JPEG, GIF, WebP, AVIF, MP4, WebM or PDF; anything else is 415.',
    'A file over the size limit (ASSET_MAX_BYTES, 50 MB by default) is 413, and so is one that would take the',
    'organisation past its storage quota (`organisations.storage_quota_bytes`): in both cases reading stops at once',
    'and nothing is kept. A campaign or post you cannot see is 422 naming the field. The answer carries the sha256',
    'of the bytes and a `contentUrl`. A file uploaded to a post becomes the last of its media: an edit of the post, so',
    'a published post refuses it (409) and an approved or scheduled one goes back to review.',
  ].join(' '),
  middleware: [requireAuth] as const,
  request: {
    body: {
      required: true,
      content: {
        // A plain schema, not zod: the body is streamed to disk, never parsed into memory.
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: {
              file: { type: 'string', format: 'binary' },
              campaignId: { type: 'string', format: 'uuid' },
              postId: { type: 'string', format: 'uuid' },
            },
          },
        },
      },
    },
  },
  responses: {
    201: json(Asset, 'Stored'),
    ...writeErrorResponses,
    413: problem(
      'Over the size limit (ASSET_MAX_BYTES, 50 MB by default) or the organisation quota (payload_too_large)',
    ),
    415: problem(
      'Not an image (PNG, JPEG, GIF, WebP, AVIF), MP4, WebM or PDF, judged from the bytes (unsupported_media_type)',
    ),
  },
});
const list = createRoute({
  method: 'get',
  path: '/assets',
  tags,
  summary: "A campaign's or a post's assets; with neither, every asset of the organisation (the media library)",
  description:
    "An asset keeps the campaign or post it was uploaded to (campaignId, postId) and any post of the same client may use it (a post's assetIds). `postId` lists the files a post uses; `clientId`, `type` and `q` narrow the library; `order=newest` lists the latest uploads first.",
  middleware: [requireAuth] as const,
  request: { query: ListQuery },
  responses: { 200: json(page(Asset), 'A page of assets'), ...errorResponses },
});
const get = createRoute({
  method: 'get',
  path: '/assets/{id}',
  tags,
  summary: 'One asset',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 200: json(Asset, 'The asset'), ...errorResponses },
});
const remove = createRoute({
  method: 'delete',
  path: '/assets/{id}',
  tags,
  summary: 'Delete an asset and its file (editor and above)',
  description:
    'The file is first taken off every post that uses it, each an edit of that post (an approved or scheduled post goes back to review). A file used by a publishing, published or cancelled post cannot be deleted (409).',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses,
    409: problem('Used by a post whose media can no longer change (conflict)'),
  },
});
// Every media type an asset can have (ALLOWED_TYPES), served as raw bytes.
const BINARY = Object.fromEntries(
  [...ALLOWED_TYPES].map((t) => [t, { schema: { type: 'string' as const, format: 'binary' } }]),
);

const content = createRoute({
  method: 'get',
  path: '/assets/{id}/content',
  tags,
  summary: 'The file itself, with nosniff and a safe Content-Disposition',
  description:
    'Served with its stored media type, `X-Content-Type-Options: nosniff`, a sandboxing CSP and `Content-Disposition` (inline for images and video, attachment for PDF; the name as an ASCII fallback plus RFC 5987 `filename*`). Honours a single `Range: bytes=…` (206) and `If-None-Match` against the sha256 ETag (304).',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: {
    200: { description: 'The bytes', content: BINARY },
    206: { description: 'The requested byte range', content: BINARY },
    304: { description: 'Unchanged (If-None-Match)' },
    ...errorResponses,
  },
});

export function assetRoutes() {
  return createRouter()
    .openapi(upload, async (c) => {
      const auth = c.get('auth');
      const deps = c.get('deps');
      requirePermission(auth, 'post:edit', 'upload assets');
      // A declared size past the quota is refused before a byte is read; the authoritative
      // check runs again, under a lock, once the real size is known.
      const declared = Number(c.req.header('content-length') ?? 0);
      if (declared > 64 * 1024) {
        const { quota, left } = await withTenant(deps.db, auth, (tx) => storageLeft(tx, auth.organisationId));
        if (declared - 64 * 1024 > left) throw overQuota(quota);
      }
      const id = randomUUID();
      const path = assetPath(deps.config.dataDir, storageKeyOf(auth.organisationId, id));
      const file = await receiveUpload(c.req.raw, path, deps.config.assetMaxBytes);
      let committed = false;
      try {
        const dto = await withTenant(deps.db, auth, (tx) => createAsset(tx, auth, id, file));
        committed = true;
        return c.json(dto, 201, { ETag: etag(dto.version) });
      } finally {
        // No row, no file: whatever refused the upload after it was written also removes it.
        if (!committed) await removeFile(path);
      }
    })
    .openapi(list, async (c) => {
      const auth = c.get('auth');
      const q = c.req.valid('query');
      return c.json(await withTenant(c.get('deps').db, auth, (tx) => listAssets(tx, q, auth.organisationId)), 200);
    })
    .openapi(get, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      const row = await withTenant(c.get('deps').db, auth, (tx) => getAssetRow(tx, id));
      return c.json(assetDto(row), 200, { ETag: etag(row.version) });
    })
    .openapi(remove, async (c) => {
      const auth = c.get('auth');
      const deps = c.get('deps');
      const id = pathId(c.req.valid('param').id);
      const key = await withTenant(deps.db, auth, async (tx) => {
        await getAssetRow(tx, id); // 404 before 403: another organisation's asset looks absent
        requirePermission(auth, 'post:edit', 'delete assets');
        return deleteAsset(tx, auth, id);
      });
      // The file goes only after the row's deletion has committed.
      await removeFile(assetPath(deps.config.dataDir, key));
      return c.body(null, 204);
    })
    .openapi(content, async (c) => {
      const auth = c.get('auth');
      const deps = c.get('deps');
      const id = pathId(c.req.valid('param').id);
      const row = await withTenant(deps.db, auth, (tx) => getAssetRow(tx, id));
      const path = assetPath(deps.config.dataDir, row.storage_key);
      const info = await stat(path).catch(() => undefined);
      if (!info) throw new Problem('not_found', 'The file is missing');
      const inline = row.media_type.startsWith('image/') || row.media_type.startsWith('video/');
      const tag = `"${row.sha256}"`;
      const headers: Record<string, string> = {
        'Content-Type': row.media_type,
        'X-Content-Type-Options': 'nosniff',
        'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', row.file_name),
        // Even opened directly, the file runs no script and loads nothing.
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Cache-Control': 'private, max-age=3600',
        'Accept-Ranges': 'bytes',
        ETag: tag,
      };
      if (
        c.req
          .header('if-none-match')
          ?.split(',')
          .some((t) => t.trim().replace(/^W\//, '') === tag)
      ) {
        return new Response(null, { status: 304, headers });
      }
      // One byte range (what video players ask for); anything else gets the whole file.
      const range = byteRange(c.req.header('range'), info.size);
      if (range) {
        headers['Content-Range'] = `bytes ${range.start}-${range.end}/${info.size}`;
        headers['Content-Length'] = String(range.end - range.start + 1);
        const body = c.req.method === 'HEAD' ? null : (Readable.toWeb(createReadStream(path, range)) as ReadableStream);
        return new Response(body, { status: 206, headers });
      }
      headers['Content-Length'] = String(info.size);
      const body = c.req.method === 'HEAD' ? null : (Readable.toWeb(createReadStream(path)) as ReadableStream);
      return new Response(body, { status: 200, headers });
    });
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` within the file, else undefined (serve it whole). */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = header && /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!m || size === 0 || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : undefined;
}
