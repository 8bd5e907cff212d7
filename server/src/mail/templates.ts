/**
 * One template per kind of mail, each giving a subject, a plain-text part and an HTML part.
 * Every link is absolute, on the first PUBLIC_ORIGIN; account links carry the token as the
 * `token` query parameter.
 */

import type { NotificationType } from '@chorus/domain';

export type MailData =
  | { kind: 'invitation'; token: string; organisationName: string; inviterName: string; role: string }
  | { kind: 'password_reset'; token: string; name: string }
  | { kind: 'magic_link'; token: string; name: string }
  | {
      kind: 'notification';
      type: NotificationType;
      name: string;
      actorName: string | null;
      postId: string | null;
      campaignId: string | null;
      /** The start of the post's content or of the note, for context. */
      excerpt: string;
      reason?: string | null;
    };

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const clip = (s: string, n = 140) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};

function page(lines: string[], link: { href: string; label: string }, footer: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1f2937">
${lines.map((l) => `<p>${esc(l)}</p>`).join('\n')}
<p><a href="${esc(link.href)}" style="display:inline-block;padding:8px 16px;background:#4f46e5;color:#fff;border-radius:6px;text-decoration:none">${esc(link.label)}</a></p>
<p style="font-size:13px;color:#6b7280">Or open this link: ${esc(link.href)}</p>
<p style="font-size:13px;color:#6b7280">${esc(footer)}</p>
</body></html>`;
}

function compose(
  subject: string,
  lines: string[],
  link: { href: string; label: string },
  footer: string,
): RenderedMail {
  const text = `${lines.join('\n\n')}\n\n${link.label}: ${link.href}\n\n${footer}\n`;
  return { subject, text, html: page(lines, link, footer) };
}

const WHAT: Record<NotificationType, (actor: string) => string> = {
  review_requested: (a) => `${a} asks for your review of a post`,
  changes_requested: (a) => `${a} requested changes to a post`,
  approved: (a) => `${a} approved a post`,
  mentioned: (a) => `${a} mentioned you in a note`,
  replied: (a) => `${a} replied to your note`,
  publish_failed: () => 'A post could not be published',
};

const mentionsAsText = (s: string) => s.replace(/<@[0-9a-f-]{36}>/gi, '@someone');

export function renderMail(data: MailData, origin: string): RenderedMail {
  const url = (path: string, token?: string) =>
    `${origin}${path}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;
  switch (data.kind) {
    case 'invitation':
      return compose(
        `${data.inviterName} invited you to ${data.organisationName} on Chorus`,
        [
          'Hello,',
          `${data.inviterName} invited you to join ${data.organisationName} on Chorus as ${data.role === 'admin' ? 'an' : 'a'} ${data.role}.`,
          'The invitation is valid for 7 days.',
        ],
        { href: url('/invite', data.token), label: 'Accept the invitation' },
        'If you did not expect this invitation, you can ignore this mail.',
      );
    case 'password_reset':
      return compose(
        'Reset your Chorus password',
        [
          `Hello ${data.name},`,
          'Someone asked to reset the password of your Chorus account. The link works once, for one hour.',
          'Choosing a new password signs you out everywhere.',
        ],
        { href: url('/reset-password', data.token), label: 'Choose a new password' },
        'If you did not ask for this, ignore this mail: your password stays as it is.',
      );
    case 'magic_link':
      return compose(
        'Your Chorus sign-in link',
        [`Hello ${data.name},`, 'Use this link to sign in to Chorus. It works once, for 15 minutes.'],
        { href: url('/magic-link', data.token), label: 'Sign in to Chorus' },
        'If you did not ask to sign in, ignore this mail.',
      );
    case 'notification': {
      const actor = data.actorName ?? 'Chorus';
      const headline = WHAT[data.type](actor);
      const lines = [`Hello ${data.name},`, `${headline}:`, `“${clip(mentionsAsText(data.excerpt))}”`];
      if (data.reason) lines.push(`Reason: ${clip(data.reason, 500)}`);
      const href = data.postId ? url(`/posts/${data.postId}`) : url(`/campaigns/${data.campaignId}`);
      return compose(
        headline,
        lines,
        { href, label: data.postId ? 'Open the post' : 'Open the campaign' },
        'You receive these mails because e-mail notifications are on in your Chorus account settings.',
      );
    }
  }
}
