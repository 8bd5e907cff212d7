import { randomUUID } from 'node:crypto';
import { addMember, type Caller, registerOwner } from './api.ts';

export const ROLE_NAMES = ['owner', 'admin', 'manager', 'editor', 'viewer'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** One organisation populated through the public API: a member of every role and one of everything. */
export interface World {
  members: Record<RoleName, Caller>;
  owner: Caller;
  clientId: string;
  campaignId: string;
  postId: string;
  noteId: string;
  replyId: string;
  assetId: string;
}

export const uniq = (prefix = 'x') => `${prefix} ${randomUUID().slice(0, 8)}`;

/** A tiny valid PNG (1×1). */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

export async function expectOk(p: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function uploadAsset(
  url: string,
  who: Caller,
  target: { campaignId?: string; postId?: string },
  file = PNG,
) {
  const form = new FormData();
  if (target.campaignId) form.set('campaignId', target.campaignId);
  if (target.postId) form.set('postId', target.postId);
  form.set('file', new Blob([new Uint8Array(file)], { type: 'image/png' }), 'pixel.png');
  const res = await fetch(`${url}/api/v1/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.token}` },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function buildWorld(url: string, label: string): Promise<World> {
  const owner = await registerOwner(url, label);
  const members = { owner } as Record<RoleName, Caller>;
  for (const role of ROLE_NAMES.slice(1)) members[role] = await addMember(url, owner, role);
  const client = await expectOk(owner.json('POST', '/clients', { name: uniq('Client') }), 'client');
  const campaign = await expectOk(
    owner.json('POST', '/campaigns', {
      clientId: client.id,
      name: uniq('Campaign'),
      platform: 'mastodon',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
    }),
    'campaign',
  );
  const post = await expectOk(
    owner.json('POST', '/posts', { campaignId: campaign.id, content: 'Hello world', platform: 'mastodon' }),
    'post',
  );
  const note = await expectOk(owner.json('POST', '/notes', { campaignId: campaign.id, body: 'First note' }), 'note');
  const reply = await expectOk(
    owner.json('POST', '/notes', { campaignId: campaign.id, parentId: note.id, body: 'A reply' }),
    'reply',
  );
  const asset = await expectOk(uploadAsset(url, owner, { campaignId: campaign.id }), 'asset');
  return {
    members,
    owner,
    clientId: client.id,
    campaignId: campaign.id,
    postId: post.id,
    noteId: note.id,
    replyId: reply.id,
    assetId: asset.id,
  };
}
