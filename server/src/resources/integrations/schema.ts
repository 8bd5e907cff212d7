import { z } from '@hono/zod-openapi';

const HttpUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

export const WebhookEndpoint = z
  .object({
    url: z.string(),
    isActive: z.boolean(),
    /** The signing secret is write-only: it is stored encrypted and never answered. */
    hasSecret: z.literal(true),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookEndpoint');

export const WebhookEndpointPut = z
  .strictObject({
    url: HttpUrl,
    secret: z
      .string()
      .min(16)
      .max(200)
      .optional()
      .openapi({ description: 'HMAC-SHA256 signing secret; required the first time, kept when omitted later' }),
    isActive: z.boolean().optional(),
  })
  .openapi('WebhookEndpointPut');

export const ConnectorName = z.enum(['sandbox', 'mastodon']);

export const ConnectorAccount = z
  .object({
    platform: z.string(),
    connector: ConnectorName,
    baseUrl: z.string().nullable(),
    hasCredentials: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ConnectorAccount');

export const ConnectorAccountPut = z
  .strictObject({
    connector: ConnectorName,
    baseUrl: HttpUrl.optional().openapi({ description: 'The instance, for mastodon (https://mastodon.example)' }),
    accessToken: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .openapi({ description: 'Write-only; required for a new mastodon account, kept when omitted later' }),
  })
  .openapi('ConnectorAccountPut');

export const PlatformParam = z.object({
  platform: z
    .string()
    .regex(/^[a-z_]{1,40}$/)
    .openapi({ param: { name: 'platform', in: 'path' }, example: 'mastodon' }),
});
