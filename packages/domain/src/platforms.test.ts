import { describe, expect, it } from 'vitest';
import { validateForPlatform } from './platforms.ts';

describe('platform rules', () => {
  it.each([
    ['x', 280],
    ['bluesky', 300],
    ['mastodon', 500],
    ['threads', 500],
    ['pinterest', 500],
    ['linkedin', 3000],
    ['facebook', 63206],
  ])('%s allows %i characters and not one more', (platform, max) => {
    expect(validateForPlatform(platform, 'a'.repeat(max), [])).toEqual([]);
    const over = validateForPlatform(platform, 'a'.repeat(max + 1), []);
    expect(over.map((v) => v.rule)).toEqual(['max_length']);
    expect(over[0]!.message).toContain(String(max + 1));
  });

  it('counts code points, so emoji count once', () => {
    expect(validateForPlatform('x', '😀'.repeat(280), [])).toEqual([]);
  });

  it('instagram needs an image or video; tiktok and youtube need a video', () => {
    expect(validateForPlatform('instagram', 'hi', []).map((v) => v.rule)).toEqual(['needs_image_or_video']);
    expect(validateForPlatform('instagram', 'hi', [{ mediaType: 'image/png' }])).toEqual([]);
    expect(validateForPlatform('tiktok', 'hi', [{ mediaType: 'image/png' }]).map((v) => v.rule)).toEqual([
      'needs_video',
    ]);
    expect(validateForPlatform('youtube', 'hi', [{ mediaType: 'video/mp4' }])).toEqual([]);
    expect(validateForPlatform('youtube', 'a'.repeat(5001), [{ mediaType: 'video/mp4' }]).map((v) => v.rule)).toEqual([
      'max_length',
    ]);
  });

  it('refuses an empty post', () => {
    expect(validateForPlatform('x', '   ', []).map((v) => v.rule)).toEqual(['empty']);
  });
});
