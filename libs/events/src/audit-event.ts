import { z } from 'zod';

const tokenCount = z.number().int().nonnegative();

/**
 * Token usage exactly as the provider reported it. `promptTokens` includes the cached input
 * tokens and `completionTokens` includes the reasoning tokens (OpenAI's convention); the two
 * detail counts say how many of them were of that kind, and are absent when the provider did
 * not say.
 */
export const UsageSchema = z.object({
  promptTokens: tokenCount,
  completionTokens: tokenCount,
  totalTokens: tokenCount,
  /** Of `promptTokens`, those read from the provider's prompt cache. */
  cachedInputTokens: tokenCount.optional(),
  /** Of `completionTokens`, those spent on reasoning the caller does not see. */
  reasoningTokens: tokenCount.optional(),
});

/** One upstream attempt of a request: which provider key it used and how it ended. */
export const AttemptDetailSchema = z.object({
  providerKeyId: z.string().min(1),
  /** The provider's HTTP status; null when no answer came (refused, unreachable, timed out). */
  status: z.number().int().nullable(),
  /** Why the attempt failed (e.g. `rate_limited`, `timeout`); null when it succeeded. */
  errorClass: z.string().max(64).nullable(),
  /** Milliseconds from the attempt's start to the provider's response headers, or its failure. */
  ms: tokenCount,
});

/** A cost in US dollars as a plain decimal string, e.g. `0.000123`. */
export const UsdAmountSchema = z.string().regex(/^\d{1,12}(\.\d{1,12})?$/);

/**
 * One routed request, as the gateway reports it to audit-log. Carries ids, routing, status,
 * timings and usage; never prompts, completions or secrets. `eventId` is fixed before the
 * upstream call, so a replayed event is recognised and stored once. Fields after `usage` were
 * added later and are optional, so events from older gateways still validate.
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
  /** The member whose virtual key made the call; null for the owner's keys. */
  memberId: z.string().min(1).nullable().optional(),
  /** The provider type of the key that answered (`openai`, `anthropic`, `gemini`, `azure`). */
  providerType: z.string().max(32).nullable().optional(),
  /** A coarse class of the failure (e.g. `upstream`, `client`, `rate_limited`); null on success. */
  errorClass: z.string().max(64).nullable().optional(),
  /** Every upstream attempt in order, with the key it used. */
  attemptsDetail: z.array(AttemptDetailSchema).max(64).optional(),
  /** Milliseconds from receiving the request to the first byte of the answer sent back. */
  ttftMs: tokenCount.nullable().optional(),
  /**
   * A cost the provider itself stated in its answer (some OpenAI-compatible hosts do). When
   * absent, audit-log prices the usage from its price table.
   */
  cost: UsdAmountSchema.nullable().optional(),
});

export type Usage = z.infer<typeof UsageSchema>;
export type AttemptDetail = z.infer<typeof AttemptDetailSchema>;
export type RequestAuditEvent = z.infer<typeof RequestAuditEventSchema>;
