/**
 * Every problem the API can answer, and every field error inside one, as a plain sentence for
 * people. The one place the web turns `{code, detail, errors}` into words: pages call
 * `errorMessage(e)` (re-exported by the API client) and show what it returns.
 */

type FieldError = { path: string; message: string };
type ProblemLike = { status: number; problem: { code?: string; title?: string; detail?: string; errors?: FieldError[] } };

/** What a field is called in a sentence. */
const FIELD: Record<string, string> = {
  name: 'The name',
  organisationName: 'The agency name',
  email: 'The e-mail address',
  password: 'The password',
  currentPassword: 'Your current password',
  newPassword: 'The new password',
  contactName: 'The contact name',
  contactEmail: 'The contact e-mail',
  contactPhone: 'The contact phone',
  content: 'The post text',
  platform: 'The platform',
  scheduledAt: 'The scheduled time',
  startDate: 'The start date',
  endDate: 'The end date',
  goal: 'The goal',
  budgetAmount: 'The budget',
  budgetCurrency: 'The currency',
  body: 'The note',
  reason: 'The reason',
  url: 'The endpoint URL',
  secret: 'The signing secret',
  baseUrl: 'The instance URL',
  accessToken: 'The access token',
  assetIds: 'The media',
  file: 'The file',
  role: 'The role',
  token: 'The link',
  campaignId: 'The campaign',
  clientId: 'The client',
  postId: 'The post',
  industry: 'The industry',
  subscriptionTier: 'The subscription',
  'If-Match': 'The version',
};

/** Rule codes some field messages start with ("needs_video: …"): the rest is already a sentence. */
const RULE_PREFIX = /^[a-z]+(?:_[a-z]+)+:\s*/;

function fieldName(path: string) {
  const last = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  return FIELD[last] ?? (last ? `“${last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}”` : 'A value');
}

const sentence = (s: string) => {
  const t = s.trim();
  const up = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(up) ? up : `${up}.`;
};

/** One field error as a sentence that names the field. */
export function fieldMessage(e: FieldError): string {
  const field = fieldName(e.path);
  const m = e.message.trim();
  if (RULE_PREFIX.test(m)) return sentence(m.replace(RULE_PREFIX, ''));
  let x: RegExpMatchArray | null;
  if ((x = m.match(/^Too small: expected string to have >=?(\d+) characters?/i)))
    return x[1] === '1' ? `${field} can’t be empty.` : `${field} needs at least ${x[1]} characters.`;
  if ((x = m.match(/^Too big: expected string to have <=?(\d+) characters?/i)))
    return `${field} can be at most ${Number(x[1]).toLocaleString()} characters.`;
  if ((x = m.match(/^Too small: expected number to be >=?(-?[\d.]+)/i))) return `${field} must be at least ${x[1]}.`;
  if ((x = m.match(/^Too big: expected number to be <=?(-?[\d.]+)/i))) return `${field} must be at most ${x[1]}.`;
  if ((x = m.match(/^Too (small|big): expected array to have [<>]=?(\d+)/i)))
    return x[1] === 'small' ? `${field} needs at least ${x[2]}.` : `${field} can have at most ${x[2]}.`;
  if (/expected .*, received undefined/i.test(m) || /^Required$/i.test(m)) return `${field} is required.`;
  if (/^Invalid (email|e-mail)/i.test(m)) return 'Enter a valid e-mail address, like name@agency.com.';
  if (/^Invalid (url|URL)/.test(m)) return `${field} must be a full web address starting with https://.`;
  if (/^Invalid UUID/i.test(m)) return `${field} was not found.`;
  if (/^Invalid (ISO )?(date-?time|datetime)/i.test(m)) return `${field} needs a valid date and time.`;
  if (/^Invalid (ISO )?date/i.test(m)) return `${field} needs a valid date.`;
  if (/^Invalid option/i.test(m) || /^Invalid enum/i.test(m)) return `${field} must be one of the offered choices.`;
  if (/^Invalid input: expected (string|number|boolean)/i.test(m)) return `${field} has the wrong kind of value.`;
  if (/^Unrecognized key|^Unknown field/i.test(m)) return `${field} is not something that can be set here.`;
  if (/^Invalid/i.test(m)) return `${field} is not valid.`;
  // Server messages written for people ("Must be in the future", "Set both or neither").
  return /^[A-Z]/.test(m) && !/[<>=]|expected/.test(m) ? `${field}: ${sentence(m).replace(/^./, (c) => c.toLowerCase())}` : `${field} is not valid.`;
}

const CODE: Record<string, string> = {
  unauthenticated: 'Your session has ended. Log in again to continue.',
  invalid_credentials: 'That e-mail and password don’t match an account.',
  forbidden: 'Your role doesn’t allow this. An owner or admin of your agency can do it, or change your role.',
  not_found: 'This no longer exists, or you don’t have access to it.',
  method_not_allowed: 'That can’t be done here.',
  precondition_failed: 'Someone else changed this in the meantime. Reload to see their version, then try again.',
  payload_too_large: 'That is too large to upload. Try a smaller file.',
  unsupported_media_type: 'That type of file isn’t supported. Use an image, an MP4 or WebM video, or a PDF.',
  rate_limited: 'Too many attempts in a short time. Wait a minute and try again.',
  internal_error: 'Something went wrong on our side. Try again in a moment.',
  unavailable: 'Chorus is busy or restarting. Try again in a moment.',
  network: 'Chorus can’t be reached. Check your connection and try again.',
  invalid_token: 'This link is no longer valid. Ask for a new one.',
};

/** Codes whose `detail` the server writes for people, so it is shown as it is. */
const DETAIL_IS_PLAIN = new Set(['conflict', 'invalid_transition', 'unprocessable', 'forbidden']);

function isProblem(e: unknown): e is ProblemLike {
  return !!e && typeof e === 'object' && 'problem' in e && 'status' in e;
}

export function problemMessage(p: ProblemLike): string {
  const { code = 'unknown', detail, errors } = p.problem;
  if (errors?.length) {
    const fields = [...new Set(errors.map(fieldMessage))];
    return fields.join(' ');
  }
  if (DETAIL_IS_PLAIN.has(code) && detail && !/[{}<>=]|^[a-z_]+:/.test(detail)) {
    // A forbidden detail reads "You may not …": plain already; the generic sentence is the fallback.
    return sentence(detail);
  }
  if (CODE[code]) return CODE[code];
  if (code === 'validation_failed') return 'Some of what you entered needs another look.';
  if (code === 'conflict') return 'That clashes with something that already exists.';
  if (code === 'invalid_transition') return 'A post can’t move to that status from where it is now.';
  if (code === 'unprocessable') return 'That can’t be done as it stands.';
  if (p.status >= 500) return CODE.internal_error!;
  return 'That didn’t work. Try again, and if it keeps happening tell your admin.';
}

/** Any thrown value as words for people. */
export function errorMessage(e: unknown): string {
  if (isProblem(e)) return problemMessage(e);
  if (e instanceof TypeError) return CODE.network!;
  return e instanceof Error && e.message ? sentence(e.message) : 'Something went wrong. Try again.';
}
