import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldError } from '../http/problem.ts';
import { Problem } from '../http/problem.ts';

// The common-password list zxcvbn-ts maintains (tens of thousands of leaked passwords), only the
// entries long enough to pass the length rule matter.
const COMMON = new Set(dictionary['passwords-common'].filter((p) => p.length >= 8).map((p) => p.toLowerCase()));

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/**
 * Why a password is refused, in plain words; empty when it is acceptable. The rules: 10 to 256
 * characters, not only whitespace, not a common password (also with digits or a few repeats
 * around one), not one character over and over, and not containing the e-mail's local part.
 */
export function passwordProblems(password: string, email?: string): string[] {
  const out: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN) out.push(`Use at least ${PASSWORD_MIN} characters`);
  if (length > PASSWORD_MAX) out.push(`Use at most ${PASSWORD_MAX} characters`);
  if (password.trim() === '') {
    out.push('Use something other than only spaces');
    return out;
  }
  const lower = password.toLowerCase();
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  if (COMMON.has(lower) || COMMON.has(lower.trim()) || (core.length >= 6 && COMMON.has(core))) {
    out.push('This is a commonly used password; choose another');
  } else if (new Set(lower).size < 4) {
    out.push('Use more than a few different characters');
  }
  const local = email?.split('@')[0]?.trim().toLowerCase();
  if (local && local.length >= 3 && lower.includes(local)) {
    out.push('Do not use your e-mail address in your password');
  }
  return out;
}

/** Throws 400 naming `field` when the password breaks the policy; every route that sets one calls this. */
export function requireGoodPassword(password: string, email: string | undefined, field = 'password'): void {
  const problems = passwordProblems(password, email);
  if (problems.length === 0) return;
  const errors: FieldError[] = problems.map((message) => ({ path: field, message }));
  throw new Problem('validation_failed', 'The password is not strong enough', { errors });
}
