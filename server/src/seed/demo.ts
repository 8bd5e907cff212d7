import { sql } from 'kysely';
import { loadConfig } from '../config.ts';
import { type Db, openDatabase } from '../db/connect.ts';
import { type Tx, withSystem, withTenant } from '../db/tenant.ts';
import { createAssetFromBytes } from '../resources/assets/service.ts';
import { acceptInvitation, invite, register } from '../resources/auth/service.ts';
import { createCampaign } from '../resources/campaigns/service.ts';
import { createClient } from '../resources/clients/service.ts';
import { ingestSnapshots } from '../resources/metrics/service.ts';
import { createNote } from '../resources/notes/service.ts';
import { notifyPostStatus } from '../resources/notifications/service.ts';
import { appendPostMedia } from '../resources/posts/media.ts';
import { changeStatus, createPost, type PostDto } from '../resources/posts/service.ts';

// A believable agency built through the same services the API uses, so the demo obeys every
// rule the product enforces. Safe to run twice: an existing demo account is left as it is.

export const DEMO_EMAIL = 'demo@chorus.example';
export const DEMO_PASSWORD = 'northwind-social-2026';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f6a1c30000000049454e44ae426082',
  'hex',
);

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

export async function seedDemo(env = process.env): Promise<{ created: boolean }> {
  const config = loadConfig(env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const db = database.db;
    const exists = await withSystem(db, (tx) =>
      tx.selectFrom('users').select('id').where(sql`lower(email)`, '=', DEMO_EMAIL).executeTakeFirst(),
    );
    if (exists) return { created: false };

    const { user: owner, organisation } = await register(db, {
      organisationName: 'Northwind Social',
      name: 'Dana Whitfield',
      email: DEMO_EMAIL,
      password: DEMO_PASSWORD,
      industry: 'entertainment',
    });
    const org = organisation.id;
    const actorOwner = { userId: owner.id, organisationId: org, role: 'owner' as const };
    const team: Record<string, string> = {};
    for (const [name, role] of [
      ['Ravi Menon', 'admin'],
      ['Lena Park', 'manager'],
      ['Tom Okafor', 'editor'],
      ['Ines Duarte', 'editor'],
    ] as const) {
      const email = `${name.split(' ')[0]!.toLowerCase()}@chorus.example`;
      const inv = await withTenant(db, org, (tx) => invite(tx, actorOwner, email, role));
      team[name] = (await acceptInvitation(db, inv.token, name, DEMO_PASSWORD)).user.id;
    }
    const editor = { userId: team['Tom Okafor']!, organisationId: org, role: 'editor' as const };
    const manager = { userId: team['Lena Park']!, organisationId: org, role: 'manager' as const };

    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const date = (ms: number) => iso(ms).slice(0, 10);
    const plan = [
      {
        client: { name: 'Bluebird Bakery', contactName: 'Maya Chen', contactEmail: 'maya@bluebird.example' },
        campaigns: [
          {
            name: 'Autumn Loaves',
            platform: 'instagram',
            goal: 'Footfall for the new sourdough range',
            budgetAmount: '2400.00',
            budgetCurrency: 'EUR',
          },
          {
            name: 'Morning Rush',
            platform: 'x',
            goal: 'Pre-order awareness',
            budgetAmount: '600.00',
            budgetCurrency: 'EUR',
          },
        ],
      },
      {
        client: { name: 'Harbour Hotels', contactName: 'Oliver Grant', contactEmail: 'oliver@harbour.example' },
        campaigns: [
          {
            name: 'Winter Escapes',
            platform: 'facebook',
            goal: 'Direct bookings for January',
            budgetAmount: '8000.00',
            budgetCurrency: 'GBP',
          },
          {
            name: 'Behind the Scenes',
            platform: 'linkedin',
            goal: 'Hiring brand',
            budgetAmount: null,
            budgetCurrency: null,
          },
        ],
      },
      {
        client: { name: 'Peak Outdoor Co.', contactName: 'Sam Rivera', contactEmail: 'sam@peak.example' },
        campaigns: [
          {
            name: 'Trail Season',
            platform: 'mastodon',
            goal: 'Community growth',
            budgetAmount: '1200.00',
            budgetCurrency: 'USD',
          },
          {
            name: 'Gear Drops',
            platform: 'bluesky',
            goal: 'Launch buzz',
            budgetAmount: '900.00',
            budgetCurrency: 'USD',
          },
        ],
      },
    ];
    const texts = [
      'Fresh out of the oven: our rye sourdough is back. Come early, it goes fast!',
      'Five things we learned this season — a thread.',
      'Meet the team that makes it happen every single morning.',
      'Weekend plans? We have a few ideas for you.',
      'Thank you for 10,000 followers. Here is a little something to celebrate.',
      'Sneak peek at what is coming next month.',
      'Tag someone who needs to see this.',
      'Our favourite photos from last week, chosen by you.',
    ];
    const statuses = [
      'draft',
      'in_review',
      'changes_requested',
      'approved',
      'scheduled',
      'published',
      'published',
      'failed',
      'cancelled',
    ] as const;
    let k = 0;
    let liveSoon = 0;
    const published: PostDto[] = [];
    for (const entry of plan) {
      const client = await withTenant(db, org, (tx) => createClient(tx, actorOwner, entry.client));
      for (const c of entry.campaigns) {
        const campaign = await withTenant(db, org, (tx) =>
          createCampaign(tx, manager, {
            clientId: client.id,
            ...c,
            startDate: date(now - 30 * DAY),
            endDate: date(now + 45 * DAY),
          }),
        );
        await withTenant(db, org, async (tx) => {
          const top = await createNote(tx, manager, {
            campaignId: campaign.id,
            body: `Kick-off: ${c.goal}. Drafts by Friday please.`,
          });
          await createNote(tx, editor, { parentId: top.id, body: 'On it — first three drafts are in the calendar.' });
        });
        // One post per campaign goes live a few minutes after the demo starts, through the real
        // scheduler and the sandbox network, so its metrics climb on screen while you watch.
        await withTenant(db, org, async (tx) => {
          const p = await createPost(tx, editor, {
            campaignId: campaign.id,
            content: `Going live in a moment: ${c.goal}. Watch the numbers move!`,
            scheduledAt: iso(now + (2 + liveSoon++) * MINUTE),
          });
          if (c.platform === 'instagram') await attachImage(tx, config.dataDir, editor, p.id);
          await drive(tx, p, 'scheduled', editor, manager);
        });
        for (const status of statuses) {
          const at =
            status === 'published' || status === 'failed'
              ? now - (3 + (k % 20)) * DAY
              : now + (1 + (k % 21)) * DAY + (k % 9) * HOUR;
          const post = await withTenant(db, org, async (tx) => {
            let p = await createPost(tx, editor, {
              campaignId: campaign.id,
              content: texts[k % texts.length]!,
              scheduledAt: iso(at),
            });
            if (c.platform === 'instagram') await attachImage(tx, config.dataDir, editor, p.id);
            p = await drive(tx, p, status, editor, manager);
            return p;
          });
          if (status === 'published' || status === 'failed') {
            // The publisher's own moves, as the scheduler would make them.
            const final = await withSystem(db, async (tx) => {
              const row = await tx
                .updateTable('scheduled_posts')
                .set(
                  status === 'published'
                    ? {
                        status,
                        published_at: new Date(at),
                        external_id: `demo-${post.id.slice(0, 8)}`,
                        external_url: `https://sandbox.chorus.example/${c.platform}/${post.id.slice(0, 8)}`,
                      }
                    : { status: 'failed', failure_reason: 'The network rejected the media: image too small (sandbox)' },
                )
                .where('id', '=', post.id)
                .returningAll()
                .executeTakeFirstOrThrow();
              if (status === 'failed') await notifyPostStatus(tx, null, row, 'failed');
              return row;
            });
            if (status === 'published') published.push({ ...post, publishedAt: final.published_at!.toISOString() });
          }
          if (k % 3 === 0) {
            await withTenant(db, org, async (tx) => {
              const n = await createNote(tx, manager, {
                postId: post.id,
                body: 'Can we make the first line punchier?',
              });
              await createNote(tx, editor, { parentId: n.id, body: 'Tried two options — see the draft.' });
            });
          }
          k++;
        }
      }
    }
    await seedClientReview(db, org, config.dataDir, actorOwner, editor, manager);
    await notifyTheOwner(db, org, owner.id, manager);
    // 30 days of hourly engagement for every published post, on a saturating curve with noise.
    for (const post of published) {
      const start = Math.max(Date.parse(post.publishedAt!), now - 30 * DAY);
      const seed = Number.parseInt(post.id.slice(0, 6), 16);
      const reach = 2000 + (seed % 20000);
      const snapshots: Array<{
        postId: string;
        capturedAt: string;
        impressions: number;
        likes: number;
        shares: number;
        comments: number;
      }> = [];
      for (let t = start; t <= now; t += HOUR) {
        const hours = (t - Date.parse(post.publishedAt!)) / HOUR;
        const curve = 1 - Math.exp(-hours / 30);
        const wobble = 1 + 0.02 * Math.sin(hours / 5 + seed);
        const impressions = Math.round(reach * curve * wobble);
        snapshots.push({
          postId: post.id,
          capturedAt: iso(Math.floor(t / HOUR) * HOUR),
          impressions,
          likes: Math.round(impressions * 0.045),
          shares: Math.round(impressions * 0.006),
          comments: Math.round(impressions * 0.004),
        });
      }
      await withTenant(db, org, (tx) =>
        ingestSnapshots(tx, { organisationId: org, actorId: manager.userId }, monotone(snapshots)),
      );
    }
    return { created: true };
  } finally {
    await database.close();
  }
}

/**
 * The demo login gets a mention to answer, and every member keeps only their newest few
 * notifications unread (and mailed): a new agency's bell, not a year of backlog.
 */
async function notifyTheOwner(
  db: Db,
  org: string,
  ownerId: string,
  manager: { userId: string; organisationId: string; role: 'manager' },
) {
  await withTenant(db, org, async (tx) => {
    const post = await tx
      .selectFrom('scheduled_posts')
      .select('id')
      .where('status', '=', 'in_review')
      .orderBy('scheduled_at')
      .executeTakeFirstOrThrow();
    await createNote(tx, manager, {
      postId: post.id,
      body: `<@${ownerId}> could you give this one a last look before it goes to the client?`,
    });
  });
  await withSystem(db, async (tx) => {
    await sql`
      UPDATE notifications SET read_at = now()
      WHERE organisation_id = ${org} AND id IN (
        SELECT id FROM (
          SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY created_at DESC, id DESC) AS n
          FROM notifications WHERE organisation_id = ${org}) ranked
        WHERE n > 6)`.execute(tx);
    await sql`
      DELETE FROM mail_outbox
      WHERE organisation_id = ${org} AND kind = 'notification' AND id IN (
        SELECT id FROM (
          SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY created_at DESC, id DESC) AS n
          FROM mail_outbox WHERE organisation_id = ${org} AND kind = 'notification') ranked
        WHERE n > 6)`.execute(tx);
  });
}

/** Cumulative counts never fall: the wobble must not make a later snapshot smaller. */
function monotone<T extends { likes: number; shares: number; comments: number; impressions: number }>(rows: T[]): T[] {
  const max = { likes: 0, shares: 0, comments: 0, impressions: 0 };
  return rows.map((r) => {
    for (const k of ['likes', 'shares', 'comments', 'impressions'] as const) max[k] = Math.max(max[k], r[k]);
    return { ...r, ...max };
  });
}

/** The hero image each campaign's posts share, as an agency reuses one file from its library. */
const heroOf = new Map<string, string>();

async function attachImage(tx: Tx, dataDir: string, actor: { userId: string; organisationId: string }, postId: string) {
  const { campaign_id: campaignId } = await tx
    .selectFrom('scheduled_posts')
    .select('campaign_id')
    .where('id', '=', postId)
    .executeTakeFirstOrThrow();
  const hero = heroOf.get(campaignId);
  if (hero) await appendPostMedia(tx, actor, postId, hero);
  else heroOf.set(campaignId, (await createAssetFromBytes(tx, dataDir, actor, { postId }, 'hero.png', PNG)).id);
}

/**
 * A client who signs off its own posts (approval policy team_and_client) and its client member,
 * client@chorus.example, with three posts waiting for it and a comment already on one.
 */
async function seedClientReview(
  db: Db,
  org: string,
  dataDir: string,
  owner: { userId: string; organisationId: string; role: 'owner' },
  editor: { userId: string; organisationId: string; role: 'editor' },
  manager: { userId: string; organisationId: string; role: 'manager' },
) {
  const now = Date.now();
  const client = await withTenant(db, org, (tx) =>
    createClient(tx, owner, {
      name: 'Lumen Studio',
      contactName: 'Alex Moreau',
      contactEmail: 'alex@lumen.example',
      approvalPolicy: 'team_and_client',
    }),
  );
  const campaign = await withTenant(db, org, (tx) =>
    createCampaign(tx, manager, {
      clientId: client.id,
      name: 'Spring Collection',
      platform: 'instagram',
      goal: 'Pre-orders for the spring lamps',
      startDate: new Date(now - 7 * DAY).toISOString().slice(0, 10),
      endDate: new Date(now + 60 * DAY).toISOString().slice(0, 10),
      budgetAmount: '1800.00',
      budgetCurrency: 'EUR',
    }),
  );
  const inv = await withTenant(db, org, (tx) => invite(tx, owner, 'client@chorus.example', 'client', [client.id]));
  const member = (await acceptInvitation(db, inv.token, 'Alex Moreau', DEMO_PASSWORD)).user.id;
  const texts = [
    'Spring is here: meet the Aurora lamp, hand-blown glass and warm light for long evenings.',
    'Three ways to light a reading corner — swipe for the before and after.',
    'Pre-orders open Monday. Café owners, ask us about trade prices!',
  ];
  for (const [i, content] of texts.entries()) {
    await withTenant(db, org, async (tx) => {
      const p = await createPost(tx, editor, {
        campaignId: campaign.id,
        content,
        scheduledAt: new Date(now + (4 + i * 2) * DAY).toISOString(),
      });
      await attachImage(tx, dataDir, editor, p.id);
      await drive(tx, p, 'client_review', editor, manager);
      if (i === 0) {
        await createNote(tx, manager, {
          postId: p.id,
          body: 'Alex, the photo is from the studio shoot last week — happy with the crop?',
          visibility: 'client',
        });
        await createNote(
          tx,
          { userId: member, organisationId: org, role: 'client' },
          {
            postId: p.id,
            body: 'Looks lovely. Checking the wording with our team today.',
          },
        );
        await createNote(tx, manager, { postId: p.id, body: 'Internal: they paid the deposit, go ahead.' });
      }
    });
  }
}

async function drive(
  tx: Tx,
  post: PostDto,
  target: string,
  editor: { userId: string; organisationId: string; role: 'editor' },
  manager: { userId: string; organisationId: string; role: 'manager' },
) {
  const path: Record<string, Array<[string, 'e' | 'm', string?]>> = {
    draft: [],
    in_review: [['in_review', 'e']],
    changes_requested: [
      ['in_review', 'e'],
      ['changes_requested', 'm', 'Please use the new brand hashtag.'],
    ],
    approved: [
      ['in_review', 'e'],
      ['approved', 'm'],
    ],
    scheduled: [
      ['in_review', 'e'],
      ['approved', 'm'],
      ['scheduled', 'm'],
    ],
    published: [
      ['in_review', 'e'],
      ['approved', 'm'],
    ],
    failed: [
      ['in_review', 'e'],
      ['approved', 'm'],
    ],
    cancelled: [['cancelled', 'm', 'Client paused the campaign.']],
    client_review: [
      ['in_review', 'e'],
      ['client_review', 'm'],
    ],
  };
  let p = post;
  for (const [to, who, reason] of path[target] ?? []) {
    p = await changeStatus(tx, who === 'e' ? editor : manager, p.id, to as never, reason);
  }
  return p;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = Date.now();
  const { created } = await seedDemo();
  console.log(
    `${created ? `Demo agency created in ${((Date.now() - t0) / 1000).toFixed(1)} s.` : 'The demo agency already exists.'}\n` +
      `  Log in at http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? 3000} as ${DEMO_EMAIL} / ${DEMO_PASSWORD}\n` +
      `  (teammates: ravi@, lena@, tom@, ines@ and client@chorus.example, same password)`,
  );
}
