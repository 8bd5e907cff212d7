import { APPROVAL_POLICIES } from '@chorus/domain';
import { z } from '@hono/zod-openapi';
import { AuditFields, ListQueryFields } from '../common.ts';

const ApprovalPolicyEnum = z.enum(APPROVAL_POLICIES);

const fields = {
  name: z.string().trim().min(1).max(200),
  contactName: z.string().trim().max(200).nullable().optional(),
  contactEmail: z.email().max(254).nullable().optional(),
  contactPhone: z.string().trim().max(50).nullable().optional(),
  isActive: z.boolean().optional(),
  approvalPolicy: ApprovalPolicyEnum.optional().openapi({
    description: "team: the team's approval is final (default); team_and_client: the client approves after the team",
  }),
};

export const ClientCreate = z.strictObject(fields).openapi('ClientCreate');
export const ClientPatch = z.strictObject({ ...fields, name: fields.name.optional() }).openapi('ClientPatch');
export const Client = z
  .object({
    ...AuditFields,
    name: z.string(),
    contactName: z.string().nullable(),
    contactEmail: z.string().nullable(),
    contactPhone: z.string().nullable(),
    isActive: z.boolean(),
    approvalPolicy: ApprovalPolicyEnum,
  })
  .openapi('Client');
export const ClientListQuery = z.strictObject({ ...ListQueryFields });

export type ClientCreateInput = z.infer<typeof ClientCreate>;
export type ClientPatchInput = z.infer<typeof ClientPatch>;
