import { PERMISSIONS, type Permission } from '@chorus/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../api.ts';
import { startTestApp, type TestApp } from '../api.ts';
import { buildWorld, expectOk, ROLE_NAMES, type RoleName, uniq, uploadAsset, type World } from '../world.ts';

// The role × route matrix, derived from the roles table (docs/roles.md) as encoded in PERMISSIONS:
// every operation below is tried by every role on a fresh target, and must succeed exactly
// when the role holds the operation's permission (else 403). 'read' and 'note' are open to all.

type Need = Permission | 'read' | 'note';
interface Op {
  name: string;
  needs: Need;
  /** Builds a fresh target with the owner, then acts as `who`; answers the status. */
  run(who: Caller): Promise<number>;
}

let app: TestApp;
let w: World;
beforeAll(async () => {
  app = await startTestApp();
  w = await buildWorld(app.url, 'roles');
}, 120_000);
afterAll(() => app?.close());

const future = () => new Date(Date.now() + 7 * 86_400_000).toISOString();
const status = async (p: Promise<{ status: number }>) => (await p).status;

async function freshClient() {
  return expectOk(w.owner.json('POST', '/clients', { name: uniq('C') }), 'client');
}
async function freshCampaign() {
  return expectOk(
    w.owner.json('POST', '/campaigns', {
      clientId: w.clientId,
      name: uniq('Camp'),
      platform: 'mastodon',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
    }),
    'campaign',
  );
}
async function freshPost(to?: 'in_review' | 'approved' | 'scheduled') {
  const post = await expectOk(
    w.owner.json('POST', '/posts', {
      campaignId: w.campaignId,
      content: uniq('Post'),
      platform: 'mastodon',
      scheduledAt: future(),
    }),
    'post',
  );
  const path = ['in_review', 'approved', 'scheduled'];
  for (const s of to ? path.slice(0, path.indexOf(to) + 1) : []) {
    await expectOk(w.owner.json('POST', `/posts/${post.id}/status`, { status: s }), `to ${s}`);
  }
  return post;
}
async function freshMember(role: RoleName) {
  const { addMember } = await import('../api.ts');
  return addMember(app.url, w.owner, role);
}

const OPS: Op[] = [
  {
    name: 'list and read everything',
    needs: 'read',
    run: async (c) =>
      Math.max(
        ...(await Promise.all(
          [
            '/clients',
            '/campaigns',
            '/posts',
            `/notes?campaignId=${w.campaignId}`,
            `/assets?campaignId=${w.campaignId}`,
            '/users',
            '/organisation',
            `/campaigns/${w.campaignId}/summary`,
            `/posts/${w.postId}/metrics`,
            '/reference-data',
          ].map((p) => status(c.json('GET', p))),
        )),
      ),
  },
  {
    name: 'write a note',
    needs: 'note',
    run: (c) => status(c.json('POST', '/notes', { postId: w.postId, body: 'Looks good' })),
  },
  {
    name: 'create a client',
    needs: 'campaign:write',
    run: (c) => status(c.json('POST', '/clients', { name: uniq('C') })),
  },
  {
    name: 'edit a client',
    needs: 'campaign:write',
    run: async (c) => status(c.json('PATCH', `/clients/${(await freshClient()).id}`, { contactName: 'New' })),
  },
  {
    name: 'delete a client',
    needs: 'org:manage',
    run: async (c) => status(c.json('DELETE', `/clients/${(await freshClient()).id}`)),
  },
  {
    name: 'create a campaign',
    needs: 'campaign:write',
    run: (c) =>
      status(
        c.json('POST', '/campaigns', {
          clientId: w.clientId,
          name: uniq('Camp'),
          platform: 'x',
          startDate: '2026-01-01',
          endDate: '2026-02-01',
        }),
      ),
  },
  {
    name: 'edit a campaign',
    needs: 'campaign:write',
    run: async (c) => status(c.json('PATCH', `/campaigns/${(await freshCampaign()).id}`, { goal: 'More' })),
  },
  {
    name: 'delete a campaign',
    needs: 'org:manage',
    run: async (c) => status(c.json('DELETE', `/campaigns/${(await freshCampaign()).id}`)),
  },
  {
    name: 'create a post',
    needs: 'post:edit',
    run: (c) => status(c.json('POST', '/posts', { campaignId: w.campaignId, content: 'Hi', platform: 'mastodon' })),
  },
  {
    name: 'edit a post',
    needs: 'post:edit',
    run: async (c) => status(c.json('PATCH', `/posts/${(await freshPost()).id}`, { content: 'Edited' })),
  },
  {
    name: 'submit a post for review',
    needs: 'post:edit',
    run: async (c) => status(c.json('POST', `/posts/${(await freshPost()).id}/status`, { status: 'in_review' })),
  },
  {
    name: 'withdraw a post to draft',
    needs: 'post:edit',
    run: async (c) => status(c.json('POST', `/posts/${(await freshPost('in_review')).id}/status`, { status: 'draft' })),
  },
  {
    name: 'approve a post',
    needs: 'campaign:write',
    run: async (c) =>
      status(c.json('POST', `/posts/${(await freshPost('in_review')).id}/status`, { status: 'approved' })),
  },
  {
    name: 'request changes',
    needs: 'campaign:write',
    run: async (c) =>
      status(
        c.json('POST', `/posts/${(await freshPost('in_review')).id}/status`, {
          status: 'changes_requested',
          reason: 'Tone',
        }),
      ),
  },
  {
    name: 'schedule a post',
    needs: 'campaign:write',
    run: async (c) =>
      status(c.json('POST', `/posts/${(await freshPost('approved')).id}/status`, { status: 'scheduled' })),
  },
  {
    name: 'cancel a post',
    needs: 'campaign:write',
    run: async (c) =>
      status(c.json('POST', `/posts/${(await freshPost('scheduled')).id}/status`, { status: 'cancelled' })),
  },
  {
    name: 'ingest metrics',
    needs: 'campaign:write',
    run: (c) =>
      status(
        c.json('POST', '/metrics', {
          snapshots: [
            {
              postId: w.postId,
              capturedAt: new Date().toISOString(),
              likes: 1,
              shares: 1,
              comments: 1,
              impressions: 10,
            },
          ],
        }),
      ),
  },
  {
    name: 'upload an asset',
    needs: 'post:edit',
    run: async (c) => (await uploadAsset(app.url, c, { postId: w.postId })).status,
  },
  {
    name: 'invite a member',
    needs: 'org:manage',
    run: (c) =>
      status(c.json('POST', '/invitations', { email: `${uniq('i').replace(' ', '-')}@example.com`, role: 'viewer' })),
  },
  {
    name: "change a member's role",
    needs: 'org:manage',
    run: async (c) => status(c.json('PATCH', `/users/${(await freshMember('viewer')).userId}`, { role: 'editor' })),
  },
  {
    name: 'deactivate a member',
    needs: 'org:manage',
    run: async (c) => status(c.json('PATCH', `/users/${(await freshMember('editor')).userId}`, { isActive: false })),
  },
  {
    name: 'make an owner',
    needs: 'org:own',
    run: async (c) => status(c.json('PATCH', `/users/${(await freshMember('viewer')).userId}`, { role: 'owner' })),
  },
  {
    name: 'edit the organisation',
    needs: 'org:own',
    run: (c) => status(c.json('PATCH', '/organisation', { name: uniq('Agency') })),
  },
];

function allowed(role: RoleName, needs: Need): boolean {
  if (needs === 'read' || needs === 'note') return true;
  return (PERMISSIONS[needs] as readonly string[]).includes(role);
}

describe('role × route matrix (the roles table of docs/roles.md)', () => {
  for (const op of OPS) {
    it(op.name, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, string> = {};
      for (const role of ROLE_NAMES) {
        const s = await op.run(w.members[role]);
        got[role] = s;
        want[role] = allowed(role, op.needs) ? '2xx' : '403';
      }
      const seen = Object.fromEntries(
        Object.entries(got).map(([r, s]) => [r, s >= 200 && s < 300 ? '2xx' : String(s)]),
      );
      expect(seen).toEqual(want);
    });
  }
});
