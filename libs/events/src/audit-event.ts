import { z } from 'zod/v4';

/**
 * A token count: any whole number from 0, however large (audit-log caps absurd ones, flagged,
 * rather than lose the call's record). `.int()` would refuse counts past 2^53.
 */
const tokenCount = z
  .number()
  .nonnegative()
  .refine(Number.isInteger, 'Invalid input: expected a whole number');

/**
 * Bounds of what the audit stream carries, so that one event can neither overflow a column nor
 * make a row too large to list: an event past them is dead-lettered with the reason, never
 * stored. Ids are bounded like the public API's (at most 200 characters), model names like a
 * request's `model` (256).
 */
export const AUDIT_EVENT_BOUNDS = {
  id: 200,
  model: 256,
  endpoint: 512,
  code: 128,
  /** The largest 32-bit column value: milliseconds, levels, attempts. */
  int32: 2_147_483_647,
} as const;

/** An id of the router (tenant, key, member): non-empty and bounded. */
export const AuditIdSchema = z.string().min(1).max(AUDIT_EVENT_BOUNDS.id);

/** The first and last instants an event may be dated: years 0001 to 9999. */
const EARLIEST_EVENT_TIME = Date.parse('0001-01-01T00:00:00Z');
const LATEST_EVENT_TIME = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * When an event happened: a UTC ISO 8601 time (`…Z`) from year 0001 to 9999. PostgreSQL has
 * no year 0 (1 BC comes before 1 AD), so an event dated in year 0000 would be refused by the
 * database with its own error, or stored as a year it was not sent with; it is dead-lettered
 * here with the reason instead.
 */
export const EventTimeSchema = z.iso.datetime().refine((text) => {
  const instant = Date.parse(text);

  // A text that is no date at all is the ISO check's to refuse, with its own message.
  return Number.isNaN(instant) || (instant >= EARLIEST_EVENT_TIME && instant <= LATEST_EVENT_TIME);
}, 'Invalid input: expected a time from year 0001 to 9999, as PostgreSQL stores it');

const millis = z.number().int().nonnegative().max(AUDIT_EVENT_BOUNDS.int32);
const modelName = z.string().max(AUDIT_EVENT_BOUNDS.model);

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
  providerKeyId: AuditIdSchema,
  /** The provider's HTTP status; null when no answer came (refused, unreachable, timed out). */
  status: z.number().int().min(0).max(999).nullable(),
  /** Why the attempt failed (e.g. `rate_limited`, `timeout`); null when it succeeded. */
  errorClass: z.string().max(64).nullable(),
  /** Milliseconds from the attempt's start to the provider's response headers, or its failure. */
  ms: millis,
});

/** A W3C `traceparent` header value (version 00). */
export const TraceparentSchema = z.string().regex(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);

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
  eventId: z.guid('Invalid UUID'),
  requestId: z.string().min(1).max(200),
  occurredAt: EventTimeSchema,
  tenantId: AuditIdSchema,
  virtualKeyId: AuditIdSchema,
  providerKeyId: z.string().max(AUDIT_EVENT_BOUNDS.id).nullable(),
  level: z.number().int().min(-AUDIT_EVENT_BOUNDS.int32).max(AUDIT_EVENT_BOUNDS.int32).nullable(),
  requestedModel: modelName.nullable(),
  upstreamModel: modelName.nullable(),
  endpoint: z.string().max(AUDIT_EVENT_BOUNDS.endpoint),
  status: z.number().int().min(0).max(999),
  errorCode: z.string().max(AUDIT_EVENT_BOUNDS.code).nullable(),
  stream: z.boolean(),
  attempts: z.number().int().nonnegative().max(AUDIT_EVENT_BOUNDS.int32),
  latencyMs: millis,
  usage: UsageSchema.nullable(),
  /** The member whose virtual key made the call; null for the owner's keys. */
  memberId: AuditIdSchema.nullable().optional(),
  /** The provider type of the key that answered (`openai`, `anthropic`, `gemini`, `azure`). */
  providerType: z.string().max(32).nullable().optional(),
  /** A coarse class of the failure (e.g. `upstream`, `client`, `rate_limited`); null on success. */
  errorClass: z.string().max(64).nullable().optional(),
  /** Every upstream attempt in order, with the key it used. */
  attemptsDetail: z.array(AttemptDetailSchema).max(64).optional(),
  /** Milliseconds from receiving the request to the first byte of the answer sent back. */
  ttftMs: millis.nullable().optional(),
  /**
   * A cost the provider itself stated in its answer (some OpenAI-compatible hosts do). When
   * absent, audit-log prices the usage from its price table.
   */
  cost: UsdAmountSchema.nullable().optional(),
  /** The W3C trace context of the request, when it was traced, so its handling links to it. */
  traceparent: TraceparentSchema.optional(),
});

export type Usage = z.infer<typeof UsageSchema>;
export type AttemptDetail = z.infer<typeof AttemptDetailSchema>;
export type RequestAuditEvent = z.infer<typeof RequestAuditEventSchema>;
