import { createRoute } from '@hono/zod-openapi';
import { withTenant } from '../../db/tenant.ts';
import { createRouter } from '../../http/app.ts';
import { requireAuth } from '../../http/auth.ts';
import {
  errorResponses,
  etag,
  IdParam,
  ifMatch,
  json,
  jsonBody,
  page,
  pathId,
  writeErrorResponses,
} from '../common.ts';
import { Note, NoteCreate, NoteListQuery, NotePatch } from './schema.ts';
import { createNote, deleteNote, getNote, listNotes, updateNote } from './service.ts';

const tags = ['Notes'];

const list = createRoute({
  method: 'get',
  path: '/notes',
  tags,
  summary: "A campaign's or post's notes: a flat list in creation order, replies carrying parentId",
  description:
    'Give exactly one of campaignId or postId (400 otherwise; 404 when you cannot see it). Every note of the target, top-level and replies alike, oldest first; rebuild threads from parentId. Paged with limit and cursor.',
  middleware: [requireAuth] as const,
  request: { query: NoteListQuery },
  responses: { 200: json(page(Note), 'A page of notes'), ...errorResponses },
});
const create = createRoute({
  method: 'post',
  path: '/notes',
  tags,
  summary: 'Write a note or a reply (every member, viewers too)',
  description:
    "Every member may write notes, viewers too. A top-level note names exactly one of campaignId or postId. A reply gives parentId and takes its parent's target: send parentId alone, or with the parent's own campaignId/postId; naming a different target is 422 with the field named (campaignId or postId), never a silent move. A parent or target you cannot see is 422 naming parentId, campaignId or postId.",
  middleware: [requireAuth] as const,
  request: jsonBody(NoteCreate),
  responses: { 201: json(Note, 'Created'), ...writeErrorResponses },
});
const patch = createRoute({
  method: 'patch',
  path: '/notes/{id}',
  tags,
  summary: "Edit a note (its author, an owner or an admin); merged into the note's live document",
  description:
    "Only the note's author may edit it, and owners and admins may moderate anyone's; other members get 403 (404 first when the note is not visible). The new body is merged into the note's collaborative document (note:<id>) in the same transaction. Honours If-Match: \"<version>\" (412 when stale).",
  middleware: [requireAuth] as const,
  request: { params: IdParam, ...jsonBody(NotePatch) },
  responses: { 200: json(Note, 'Updated'), ...writeErrorResponses },
});
const remove = createRoute({
  method: 'delete',
  path: '/notes/{id}',
  tags,
  summary: 'Delete a note and its replies (its author, an owner or an admin)',
  description:
    'Replies are deleted with their parent, at any depth (they would lose their context); each deleted note is announced as a delete change. Same rule as editing: the author, or an owner or admin.',
  middleware: [requireAuth] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses },
});

export function noteRoutes() {
  return createRouter()
    .openapi(list, async (c) => {
      const auth = c.get('auth');
      const q = c.req.valid('query');
      return c.json(await withTenant(c.get('deps').db, auth, (tx) => listNotes(tx, q)), 200);
    })
    .openapi(create, async (c) => {
      const auth = c.get('auth');
      const body = c.req.valid('json');
      const note = await withTenant(c.get('deps').db, auth, (tx) => createNote(tx, auth, body));
      return c.json(note, 201, { ETag: etag(note.version) });
    })
    .openapi(patch, async (c) => {
      const auth = c.get('auth');
      const deps = c.get('deps');
      const id = pathId(c.req.valid('param').id);
      const expected = ifMatch(c);
      const patch = c.req.valid('json');
      const note = await withTenant(deps.db, auth, async (tx) => {
        await getNote(tx, id);
        return updateNote(tx, auth, id, patch, expected, deps.collab);
      });
      return c.json(note, 200, { ETag: etag(note.version) });
    })
    .openapi(remove, async (c) => {
      const auth = c.get('auth');
      const id = pathId(c.req.valid('param').id);
      await withTenant(c.get('deps').db, auth, (tx) => deleteNote(tx, auth, id));
      return c.body(null, 204);
    });
}
