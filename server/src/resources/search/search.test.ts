import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Caller, registerOwner, startTestApp, type TestApp } from '../../../test/api.ts';
import { queryWords } from './service.ts';

let app: TestApp;
let owner: Caller;
let member: Caller;
let stranger: Caller;
const ids: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp();
  owner = await registerOwner(app.url, 'search');
  stranger = await registerOwner(app.url, 'stranger');
  const client = (await owner.json<any>('POST', '/clients', { name: 'Café Lumière' })).body;
  const other = (await owner.json<any>('POST', '/clients', { name: 'Crème Brûlée Co' })).body;
  ids.client = client.id;
  ids.other = other.id;
  const campaign = async (clientId: string, name: string) =>
    (
      await owner.json<any>('POST', '/campaigns', {
        clientId,
        name,
        platform: 'mastodon',
        startDate: '2026-01-01',
        endDate: '2027-12-31',
      })
    ).body.id as string;
  ids.campaign = await campaign(client.id, 'Summer Espresso');
  ids.otherCampaign = await campaign(other.id, 'Espresso secrets');
  ids.post = (
    await owner.json<any>('POST', '/posts', {
      campaignId: ids.campaign,
      content: 'Our naïve espresso déjà vu: a long text about coffee roasting that goes on',
      platform: 'mastodon',
    })
  ).body.id;
  ids.teamNote = (
    await owner.json<any>('POST', '/notes', { postId: ids.post, body: 'Espresso margin is thin' })
  ).body.id;
  ids.clientNote = (
    await owner.json<any>('POST', '/notes', { postId: ids.post, body: 'Espresso shot list', visibility: 'client' })
  ).body.id;
  member = await addMember(app.url, owner, 'client', [client.id]);
  await stranger.json('POST', '/clients', { name: 'Espresso Elsewhere' });
}, 180_000);
afterAll(() => app?.close());

const find = async (who: Caller, q: string) => {
  const res = await who.json<any>('GET', `/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return res.body.items as Array<{ entity: string; id: string; title: string; snippet: string }>;
};

describe('search', () => {
  it('matches words by prefix, whatever their case and accents', async () => {
    expect((await find(owner, 'cafe')).map((h) => h.id)).toEqual([ids.client]);
    expect((await find(owner, 'LUMI')).map((h) => h.id)).toEqual([ids.client]);
    expect((await find(owner, 'deja naive')).map((h) => h.id)).toEqual([ids.post]);
    expect((await find(owner, 'creme brul')).map((h) => h.id)).toEqual([ids.other]);
    expect(await find(owner, 'espresso zzz')).toEqual([]);
    expect(await find(owner, '   ')).toEqual([]);
    expect(await find(owner, "'&|!:*()")).toEqual([]);
  });

  it('ranks names first and finds only what the caller may see', async () => {
    const all = await find(owner, 'espresso');
    expect(all.slice(0, 2).map((h) => h.entity)).toEqual(['campaign', 'campaign']);
    expect(new Set(all.map((h) => h.id))).toEqual(
      new Set([ids.campaign, ids.otherCampaign, ids.post, ids.teamNote, ids.clientNote]),
    );
    const theirs = await find(member, 'espresso');
    expect(new Set(theirs.map((h) => h.id))).toEqual(new Set([ids.campaign, ids.post, ids.clientNote]));
    expect((await find(stranger, 'espresso')).map((h) => h.entity)).toEqual(['client']);
  });

  it('answers 400 for a query it cannot take', async () => {
    expect((await owner.json('GET', '/search')).status).toBe(400);
    expect((await owner.json('GET', `/search?q=${'a'.repeat(201)}`)).status).toBe(400);
    expect((await owner.json('GET', '/search?q=a&limit=51')).status).toBe(400);
  });
});

describe('queryWords', () => {
  it('keeps letters and digits only, eight words at most', () => {
    expect(queryWords("Café's 2026 & | !")).toEqual(['café', 's', '2026']);
    expect(queryWords('a b c d e f g h i j')).toHaveLength(8);
  });
});
