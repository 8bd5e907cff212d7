import { describe, expect, it } from 'vitest';
import { errorMessage, fieldMessage } from '../src/lib/messages.ts';

const problem = (status: number, p: Record<string, unknown>) => ({
  status,
  problem: { type: 'about:blank', title: '', ...p },
});

describe('plain-word errors', () => {
  it('turns schema messages into sentences that name the field', () => {
    expect(fieldMessage({ path: 'name', message: 'Too small: expected string to have >=1 characters' })).toBe(
      'The name can’t be empty.',
    );
    expect(fieldMessage({ path: 'secret', message: 'Too small: expected string to have >=16 characters' })).toBe(
      'The signing secret needs at least 16 characters.',
    );
    expect(fieldMessage({ path: 'contactEmail', message: 'Invalid email address' })).toMatch(/valid e-mail address/);
    expect(fieldMessage({ path: 'scheduledAt', message: 'Invalid ISO datetime' })).toBe(
      'The scheduled time needs a valid date and time.',
    );
    expect(fieldMessage({ path: 'email', message: 'Invalid input: expected string, received undefined' })).toBe(
      'The e-mail address is required.',
    );
  });

  it('drops rule codes and keeps the sentence after them', () => {
    expect(
      fieldMessage({
        path: 'assetIds',
        message: 'needs_image_or_video: Instagram needs an image or video attached to the post',
      }),
    ).toBe('Instagram needs an image or video attached to the post.');
  });

  it('maps every problem code to words, never raw output', () => {
    for (const code of [
      'unauthenticated',
      'invalid_credentials',
      'forbidden',
      'not_found',
      'precondition_failed',
      'payload_too_large',
      'unsupported_media_type',
      'rate_limited',
      'internal_error',
      'network',
      'invalid_token',
      'validation_failed',
      'conflict',
      'invalid_transition',
      'unprocessable',
      'something_new',
    ]) {
      const text = errorMessage(problem(400, { code, detail: '' }));
      expect(text, code).toMatch(/^[A-Z].*[.!?]$/);
      expect(text, code).not.toMatch(/_|[<>=]|expected/);
    }
    expect(
      errorMessage(
        problem(400, {
          code: 'validation_failed',
          errors: [{ path: 'content', message: 'Too big: expected string to have <=63206 characters' }],
        }),
      ),
    ).toBe('The post text can be at most 63,206 characters.');
  });
});
