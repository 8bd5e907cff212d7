/**
 * Every problem the API can answer, and every field error inside one, as a plain sentence for
 * people. The one place the web turns `{code, detail, errors}` into words: pages call
 * `errorMessage(e)` (re-exported by the API client) and show what it returns.
 */

type FieldError = { path: string; message: string };
type ProblemLike = {
  status: number;
  problem: { code?: string; title?: string; detail?: string; errors?: FieldError[] };
};

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
  const last =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? path;
  return FIELD[last] ?? (last ? `“${last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}”` : 'A value');
}

const sentence = (s: string) => {
  const t = s.trim();
  const up = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(up) ? up : `${up}.`;
};

/** Validation messages as the API's schema library words them, each as a sentence. */
const RULES: [RegExp, (field: string, m: RegExpMatchArray) => string][] = [
  [
    /^Too small: expected string to have >=?(\d+) characters?/i,
    (f, m) => (m[1] === '1' ? `${f} can’t be empty.` : `${f} needs at least ${m[1]} characters.`),
  ],
  [
    /^Too big: expected string to have <=?(\d+) characters?/i,
    (f, m) => `${f} can be at most ${Number(m[1]).toLocaleString()} characters.`,
  ],
  [/^Too small: expected number to be >=?(-?[\d.]+)/i, (f, m) => `${f} must be at least ${m[1]}.`],
  [/^Too big: expected number to be <=?(-?[\d.]+)/i, (f, m) => `${f} must be at most ${m[1]}.`],
  [/^Too small: expected array to have >=?(\d+)/i, (f, m) => `${f} needs at least ${m[1]}.`],
  [/^Too big: expected array to have <=?(\d+)/i, (f, m) => `${f} can have at most ${m[1]}.`],
  [/expected .*, received undefined|^Required$/i, (f) => `${f} is required.`],
  [/^Invalid (email|e-mail)/i, () => 'Enter a valid e-mail address, like name@agency.com.'],
  [/^Invalid url/i, (f) => `${f} must be a full web address starting with https://.`],
  [/^Invalid UUID/i, (f) => `${f} was not found.`],
  [/^Invalid (ISO )?(date-?time|datetime)/i, (f) => `${f} needs a valid date and time.`],
  [/^Invalid (ISO )?date/i, (f) => `${f} needs a valid date.`],
  [/^Invalid (option|enum)/i, (f) => `${f} must be one of the offered choices.`],
  [/^Invalid input: expected (string|number|boolean)/i, (f) => `${f} has the wrong kind of value.`],
  [/^Unrecognized key|^Unknown field/i, (f) => `${f} is not something that can be set here.`],
  [/^Invalid/i, (f) => `${f} is not valid.`],
];

/** One field error as a sentence that names the field. */
export function fieldMessage(e: FieldError): string {
  const field = fieldName(e.path);
  const m = e.message.trim();
  if (RULE_PREFIX.test(m)) return sentence(m.replace(RULE_PREFIX, ''));
  for (const [re, say] of RULES) {
    const match = m.match(re);
    if (match) return say(field, match);
  }
  // Server messages written for people ("Must be in the future", "Set both or neither").
  if (/^[A-Z]/.test(m) && !/[<>=]|expected/.test(m))
    return `${field}: ${sentence(m).replace(/^./, (c) => c.toLowerCase())}`;
  return `${field} is not valid.`;
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
