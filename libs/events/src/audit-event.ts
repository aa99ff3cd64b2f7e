import { z } from 'zod';

/** Token usage exactly as the provider reported it. */
export const UsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
});

/**
 * One routed request, as the gateway reports it to audit-log. Carries ids, routing, status,
 * timings and usage; never prompts, completions or secrets. `eventId` is fixed before the
 * upstream call, so a replayed event is recognised and stored once.
 */
export const RequestAuditEventSchema = z.object({
  type: z.literal('request'),
  eventId: z.string().uuid(),
  requestId: z.string().min(1).max(200),
  occurredAt: z.string().datetime(),
  tenantId: z.string().min(1),
  virtualKeyId: z.string().min(1),
  providerKeyId: z.string().nullable(),
  level: z.number().int().nullable(),
  requestedModel: z.string().nullable(),
  upstreamModel: z.string().nullable(),
  endpoint: z.string(),
  status: z.number().int(),
  errorCode: z.string().nullable(),
  stream: z.boolean(),
  attempts: z.number().int().nonnegative(),
  latencyMs: z.number().int().nonnegative(),
  usage: UsageSchema.nullable(),
});

export type Usage = z.infer<typeof UsageSchema>;
export type RequestAuditEvent = z.infer<typeof RequestAuditEventSchema>;
