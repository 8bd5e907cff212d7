import { z } from '@hono/zod-openapi';
import { Email, InvitationRole, Password, PersonName } from '../auth/schema.ts';

export { MeUser } from '../auth/schema.ts';

export const EmailBody = z.strictObject({ email: Email }).openapi('EmailBody');
const Token = z.string().min(1).max(300);
export const ResetConfirmBody = z
  .strictObject({ token: Token, password: Password })
  .openapi('PasswordResetConfirmBody');
export const MagicLinkVerifyBody = z.strictObject({ token: Token }).openapi('MagicLinkVerifyBody');

export const MePatch = z
  .strictObject({ name: PersonName.optional(), emailNotifications: z.boolean().optional() })
  .openapi('MePatch');
export const PasswordChangeBody = z
  .strictObject({ currentPassword: z.string().max(256), newPassword: Password })
  .openapi('PasswordChangeBody');

export const SessionItem = z
  .object({
    id: z.uuid(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .openapi('SessionItem');

export const PendingInvitation = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: InvitationRole,
    clientIds: z.array(z.uuid()),
    expiresAt: z.string(),
    createdAt: z.string(),
    createdBy: z.uuid().nullable(),
  })
  .openapi('PendingInvitation');

export const OutboxMail = z
  .object({ id: z.uuid(), to: z.string(), subject: z.string(), text: z.string(), sentAt: z.string() })
  .openapi('OutboxMail');
