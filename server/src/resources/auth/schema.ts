import { ROLES, TEAM_ROLES } from '@chorus/domain';
import { z } from '@hono/zod-openapi';
import { AuditFields } from '../common.ts';

export const Email = z.email().max(254).openapi({ example: 'ada@agency.example' });
export const Password = z.string().min(10, 'At least 10 characters').max(256);
export const PersonName = z.string().trim().min(1).max(200);
export const RoleCode = z.enum(ROLES);
/** Roles a member can be given here; client members come with the clients they may see. */
export const TeamRoleCode = z.enum(TEAM_ROLES);

export const User = z
  .object({
    ...AuditFields,
    organisationId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: RoleCode,
    isActive: z.boolean(),
    clientIds: z.array(z.uuid()).openapi({ description: 'The clients a client member sees; empty for the team' }),
  })
  .openapi('User');

export const Organisation = z
  .object({
    ...AuditFields,
    name: z.string(),
    industry: z.string().nullable(),
    subscriptionTier: z.string(),
  })
  .openapi('Organisation');

export const SessionAnswer = z
  .object({
    user: User,
    organisation: Organisation,
    token: z
      .string()
      .openapi({ description: 'Send as Authorization: Bearer <token>; also set as the chorus_session cookie' }),
  })
  .openapi('SessionAnswer');

export const RegisterBody = z
  .strictObject({
    organisationName: z.string().trim().min(1).max(200),
    name: PersonName,
    email: Email,
    password: Password,
    industry: z.string().optional().openapi({ description: 'An industry code from reference data' }),
  })
  .openapi('RegisterBody');

export const LoginBody = z
  .strictObject({ email: z.string().max(254), password: z.string().max(256) })
  .openapi('LoginBody');

/** Roles an invitation may carry: a client member sees only the clients named in clientIds. */
export const InvitationRole = z.enum([...TEAM_ROLES, 'client']);
export const InvitationBody = z
  .strictObject({
    email: Email,
    role: InvitationRole,
    clientIds: z
      .array(z.uuid())
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'The clients a client member may see: required for role client, refused for others' }),
  })
  .openapi('InvitationBody');
export const Invitation = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: InvitationRole,
    clientIds: z.array(z.uuid()),
    token: z.string(),
    expiresAt: z.string(),
  })
  .openapi('Invitation');

export const AcceptInvitationBody = z
  .strictObject({ token: z.string().min(1).max(200), name: PersonName, password: Password })
  .openapi('AcceptInvitationBody');

export const MeUser = User.extend({
  emailNotifications: z.boolean().openapi({ description: 'Whether notifications are also mailed' }),
}).openapi('MeUser');

export const Me = z
  .object({ user: MeUser, organisation: Organisation, permissions: z.array(z.string()) })
  .openapi('Me');
