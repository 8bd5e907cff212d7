/**
 * Per-platform content rules: what each network accepts. The post status machine checks them
 * when a post leaves draft for review and again when it is scheduled; connectors use the same
 * table before publishing.
 */

export interface PlatformRule {
  /** Longest text, in Unicode code points (what the networks count, near enough). */
  maxLength: number;
  /** Needs at least one attached image or video / at least one video. */
  needs?: 'image_or_video' | 'video';
}

export const PLATFORM_RULES: Record<string, PlatformRule> = {
  x: { maxLength: 280 },
  bluesky: { maxLength: 300 },
  mastodon: { maxLength: 500 },
  threads: { maxLength: 500 },
  pinterest: { maxLength: 500 },
  instagram: { maxLength: 2200, needs: 'image_or_video' },
  tiktok: { maxLength: 2200, needs: 'video' },
  linkedin: { maxLength: 3000 },
  youtube: { maxLength: 5000, needs: 'video' },
  facebook: { maxLength: 63206 },
};

export interface RuleViolation {
  rule: 'max_length' | 'needs_image_or_video' | 'needs_video' | 'empty';
  message: string;
}

const LABEL: Record<string, string> = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  threads: 'Threads',
  pinterest: 'Pinterest',
  instagram: 'Instagram',
  tiktok: 'TikTok',
  linkedin: 'LinkedIn',
  youtube: 'YouTube',
  facebook: 'Facebook',
};

export function validateForPlatform(
  platform: string,
  content: string,
  assets: { mediaType: string }[],
): RuleViolation[] {
  const rule = PLATFORM_RULES[platform];
  if (!rule) return [];
  const name = LABEL[platform] ?? platform;
  const out: RuleViolation[] = [];
  const length = [...content].length;
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
