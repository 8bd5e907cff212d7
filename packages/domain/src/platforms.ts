/**
 * Per-platform content rules: what each network accepts. Checked when a post leaves draft for
 * review and again when it is scheduled; the editor shows the same limits as you type.
 */

export const PLATFORMS = [
  'x',
  'bluesky',
  'mastodon',
  'threads',
  'pinterest',
  'instagram',
  'tiktok',
  'linkedin',
  'youtube',
  'facebook',
] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface PlatformRule {
  label: string;
  /** Longest text, in Unicode code points (what the networks count, near enough). */
  maxLength: number;
  /** Needs at least one attached image or video / at least one video. */
  needs?: 'image_or_video' | 'video';
}

export const PLATFORM_RULES: Record<Platform, PlatformRule> = {
  x: { label: 'X', maxLength: 280 },
  bluesky: { label: 'Bluesky', maxLength: 300 },
  mastodon: { label: 'Mastodon', maxLength: 500 },
  threads: { label: 'Threads', maxLength: 500 },
  pinterest: { label: 'Pinterest', maxLength: 500 },
  instagram: { label: 'Instagram', maxLength: 2200, needs: 'image_or_video' },
  tiktok: { label: 'TikTok', maxLength: 2200, needs: 'video' },
  linkedin: { label: 'LinkedIn', maxLength: 3000 },
  youtube: { label: 'YouTube', maxLength: 5000, needs: 'video' },
  facebook: { label: 'Facebook', maxLength: 63206 },
};

export function platformRule(platform: string): PlatformRule | undefined {
  return (PLATFORM_RULES as Record<string, PlatformRule>)[platform];
}

/** Text length as the platforms count it. */
export function textLength(text: string): number {
  return [...text].length;
}

export interface RuleViolation {
  rule: 'max_length' | 'needs_image_or_video' | 'needs_video' | 'empty';
  message: string;
}

export function validateForPlatform(
  platform: string,
  content: string,
  assets: { mediaType: string }[],
): RuleViolation[] {
  const rule = platformRule(platform);
  if (!rule) return [];
  const name = rule.label;
  const out: RuleViolation[] = [];
  const length = textLength(content);
  if (content.trim().length === 0 && assets.length === 0)
    out.push({ rule: 'empty', message: `A ${name} post needs some text or media` });
  if (length > rule.maxLength) {
    out.push({
      rule: 'max_length',
      message: `${name} allows at most ${rule.maxLength} characters; this post has ${length}`,
    });
  }
  const images = assets.filter((a) => a.mediaType.startsWith('image/')).length;
  const videos = assets.filter((a) => a.mediaType.startsWith('video/')).length;
  if (rule.needs === 'image_or_video' && images + videos === 0) {
    out.push({ rule: 'needs_image_or_video', message: `${name} needs an image or video attached to the post` });
  }
  if (rule.needs === 'video' && videos === 0)
    out.push({ rule: 'needs_video', message: `${name} needs a video attached to the post` });
  return out;
}

/** Longest post text and note body anyone may store (the database enforces the same). */
export const MAX_POST_CHARS = 100_000;
export const MAX_NOTE_CHARS = 20_000;
