import type { User } from './api/client.ts';
import { team } from './live/team.svelte.ts';

/** `<@userId>` in a note body mentions that member. */
export const MENTION = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/gi;

function nameOf(id: string): string {
  const members = team();
  const found = members.items.find((u) => u.id === id.toLowerCase());
  if (found) return found.name;
  return members.loading ? 'a teammate' : 'a former member';
}

export type Part = { text: string } | { mention: string; name: string };

/** A body split into text and mentions, for rendering mentions as names. */
export function parts(body: string): Part[] {
  const out: Part[] = [];
  let last = 0;
  for (const m of body.matchAll(MENTION)) {
    if (m.index > last) out.push({ text: body.slice(last, m.index) });
    out.push({ mention: m[1]!, name: nameOf(m[1]!) });
    last = m.index + m[0].length;
  }
  if (last < body.length) out.push({ text: body.slice(last) });
  return out;
}

/** Plain text with every mention as "@Name". */
export function renderMentions(body: string): string {
  return parts(body)
    .map((p) => ('text' in p ? p.text : `@${p.name}`))
    .join('');
}

/** What the composer shows: mentions as "@Name". */
export const toDisplay = renderMentions;

/** What is sent: every "@Name" of a member becomes `<@id>` (longest names first). */
export function toWire(text: string, members: User[] = team().items): string {
  const byLength = [...members].filter((u) => u.isActive).sort((a, b) => b.name.length - a.name.length);
  let out = text;
  for (const u of byLength) {
    const escaped = u.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(^|[^\\w<])@${escaped}(?![\\w])`, 'gu'), `$1<@${u.id}>`);
  }
  return out;
}

/** The "@query" being typed just before the caret, if any. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const m = /(^|\s)@([\p{L}\p{N}._'-]*(?: [\p{L}\p{N}._'-]*)?)$/u.exec(text.slice(0, caret));
  if (!m) return null;
  return { start: caret - m[2]!.length - 1, query: m[2]! };
}
