import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Caller, registerOwner, startTestApp, type TestApp } from '../../../test/api.ts';

// The client's approval step end to end over the API: a team_and_client client's post goes
// from the team's approval to client_review, a client member approves or requests changes
// with a reason, and every step is in the post's versions (who, when, reason).

let app: TestApp;
let owner: Caller;
let editor: Caller;
let member: Caller;
let campaignId: string;
let teamCampaignId: string;

beforeAll(async () => {
  app = await startTestApp();
  owner = await registerOwner(app.url, 'review');
  editor = await addMember(app.url, owner, 'editor');
  const client = await owner.json<any>('POST', '/clients', { name: 'Signs off', approvalPolicy: 'team_and_client' });
  const teamClient = await owner.json<any>('POST', '/clients', { name: 'Trusts us' });
  member = await addMember(app.url, owner, 'client', [client.body.id, teamClient.body.id]);
  const campaign = (clientId: string) =>
    owner.json<any>('POST', '/campaigns', {
      clientId,
      name: 'Launch',
      platform: 'mastodon',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
    });
  campaignId = (await campaign(client.body.id)).body.id;
  teamCampaignId = (await campaign(teamClient.body.id)).body.id;
}, 180_000);
afterAll(() => app?.close());

const move = (who: Caller, id: string, status: string, reason?: string) =>
  who.json<any>('POST', `/posts/${id}/status`, { status, reason });

async function submitted(campaign = campaignId) {
  const post = await editor.json<any>('POST', '/posts', {
    campaignId: campaign,
    content: 'Launch day!',
    platform: 'mastodon',
  });
  expect((await move(editor, post.body.id, 'in_review')).status).toBe(200);
  return post.body.id as string;
}

describe('the client approval step', () => {
  it('follows the team’s approval; the client approves; the trail names who, when and why', async () => {
    const id = await submitted();
    // Under team_and_client the team cannot approve outright.
    expect((await move(owner, id, 'approved')).status).toBe(409);
    expect((await move(owner, id, 'client_review')).body.status).toBe('client_review');
    // The client member was asked.
    const bell = await member.json<any>('GET', '/notifications');
    expect(bell.body.items.some((n: any) => n.type === 'review_requested' && n.postId === id)).toBe(true);
    // The team cannot take the client's step; the client cannot edit.
    expect((await move(owner, id, 'approved')).status).toBe(403);
    expect((await member.json('PATCH', `/posts/${id}`, { content: 'Mine now' })).status).toBe(403);
    const approved = await move(member, id, 'approved', 'Lovely');
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const trail = (await owner.json<any>('GET', `/posts/${id}/versions`)).body.items;
    expect(trail.map((v: any) => [v.status, v.createdBy, v.reason])).toEqual([
      ['approved', member.userId, 'Lovely'],
      ['client_review', owner.userId, null],
      ['in_review', editor.userId, null],
      ['draft', editor.userId, null],
    ]);
    // The client member reads the same trail.
    expect((await member.json<any>('GET', `/posts/${id}/versions`)).body.items).toHaveLength(4);
  });

  it('lets the client request changes with a reason, and the fixed post comes back to it', async () => {
    const id = await submitted();
    await move(owner, id, 'client_review');
    const back = await move(member, id, 'changes_requested', 'Say “launch week”, not “launch day”');
    expect(back.body.status).toBe('changes_requested');
    const authorBell = await editor.json<any>('GET', '/notifications');
    expect(authorBell.body.items.some((n: any) => n.type === 'changes_requested' && n.postId === id)).toBe(true);
    await editor.json('PATCH', `/posts/${id}`, { content: 'Launch week!' });
    await move(editor, id, 'in_review');
    await move(owner, id, 'client_review');
    expect((await move(member, id, 'approved')).body.status).toBe('approved');
    const trail = (await owner.json<any>('GET', `/posts/${id}/versions`)).body.items;
    expect(trail.find((v: any) => v.status === 'changes_requested')).toMatchObject({
      createdBy: member.userId,
      reason: 'Say “launch week”, not “launch day”',
      content: 'Launch day!',
    });
  });

  it('gives a client member no step on a post of a team-approved client, nor outside client_review', async () => {
    const id = await submitted(teamCampaignId);
    expect((await move(member, id, 'approved')).status).toBe(403);
    expect((await move(owner, id, 'approved')).body.status).toBe('approved');
    const other = await submitted();
    expect([403, 409]).toContain((await move(member, other, 'approved')).status);
  });
});
