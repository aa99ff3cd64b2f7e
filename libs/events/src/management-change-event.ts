import { z } from 'zod/v4';

import { AuditIdSchema } from './audit-event';

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

export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);

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
  occurredAt: z.iso.datetime(),
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
