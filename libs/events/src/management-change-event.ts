import { z } from 'zod/v4';

import { AuditIdSchema, EventTimeSchema } from './audit-event';

/** The most a before or after state may take as JSON (config exports are at most 16 KiB). */
export const MAX_STATE_JSON_BYTES = 64 * 1024;

/** What a management change touched. */
export const MANAGED_RESOURCES = [
  'provider_key',
  'tenant_config',
  'virtual_key',
  'member',
  'price_override',
] as const;

/** A JSON value, as the before and after states are carried. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** How deep a before or after state may nest (arrays and objects). */
export const MAX_STATE_DEPTH = 256;

/**
 * A JSON value as `JSON.parse` gives it: strings, finite numbers, booleans, null, arrays and
 * plain objects, nested at most {@link MAX_STATE_DEPTH} deep. Checked by walking the value
 * with a list rather than by recursion, so no value can exhaust the stack, and without
 * reading any of its properties but its own (a key such as `constructor` is just a key).
 */
export const JsonValueSchema = z.custom<JsonValue>().superRefine((value, ctx) => {
  const problem = jsonValueProblem(value, MAX_STATE_DEPTH);
  // Fatal: later checks (the size bound) must not walk a value refused here.
  if (problem) ctx.addIssue({ code: 'custom', message: problem, continue: false });
});

/**
 * Why `root` is not a JSON value nested at most `maxDepth` deep, or undefined when it is (for
 * producers that must keep their states within what the trail stores).
 */
export function jsonValueProblem(root: unknown, maxDepth: number): string | undefined {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value === 'string') {
      if (!storableText(value)) return UNSTORABLE_TEXT;
      continue;
    }
    if (value === null || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return 'Invalid input: expected a finite number';
      continue;
    }
    if (typeof value !== 'object') return `Invalid input: ${typeof value} is not a JSON value`;
    if (depth >= maxDepth) return `Invalid input: nested more than ${maxDepth} deep`;
    const items = Array.isArray(value) ? value : plainValues(value);
    if (!items) return 'Invalid input: expected a JSON object';
    if (!Array.isArray(value) && !Object.keys(value).every(storableText)) return UNSTORABLE_TEXT;
    for (const item of items) pending.push({ value: item, depth: depth + 1 });
  }

  return undefined;
}

const UNSTORABLE_TEXT =
  'Invalid input: text with a NUL character or a lone UTF-16 surrogate, which JSON in PostgreSQL cannot hold';

/** Half of a UTF-16 surrogate pair standing alone (with `u`, a pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

/** Whether PostgreSQL's JSON can hold the text as it is (no NUL, no lone surrogate). */
function storableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/** The own values of a plain object (as `JSON.parse` makes them), else undefined. */
function plainValues(value: object): unknown[] | undefined {
  const prototype: unknown = Object.getPrototypeOf(value);

  return prototype === Object.prototype || prototype === null ? Object.values(value) : undefined;
}

const BoundedStateSchema = JsonValueSchema.refine(
  (value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_STATE_JSON_BYTES,
  `must be at most ${MAX_STATE_JSON_BYTES} bytes as JSON`,
);

/**
 * One change made through the management API: who made it, to what, and the state before and
 * after. Producers leave secrets out of `before` and `after` (a provider key's secret appears
 * at most as its hint); audit-log stores what it is given.
 */
export const ManagementChangeEventSchema = z.object({
  type: z.literal('management_change'),
  eventId: z.guid('Invalid UUID'),
  occurredAt: EventTimeSchema,
  tenantId: AuditIdSchema,
  requestId: z.string().min(1).max(200),
  /** The virtual key that made the change. */
  actorVirtualKeyId: AuditIdSchema,
  /** The member who made it; null for the owner. */
  actorMemberId: AuditIdSchema.nullable(),
  resource: z.enum(MANAGED_RESOURCES),
  /** The id of what changed (a provider key id, a model name, …); null for tenant-wide config. */
  resourceId: z.string().min(1).max(200).nullable(),
  action: z.enum(['create', 'update', 'delete']),
  before: BoundedStateSchema.nullable(),
  after: BoundedStateSchema.nullable(),
});

export type ManagementChangeEvent = z.infer<typeof ManagementChangeEventSchema>;
