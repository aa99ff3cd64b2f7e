import { z } from 'zod';

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
    z.record(JsonValueSchema),
  ]),
);

/**
 * One change made through the management API: who made it, to what, and the state before and
 * after. Producers leave secrets out of `before` and `after` (a provider key's secret appears
 * at most as its hint); audit-log stores what it is given.
 */
export const ManagementChangeEventSchema = z.object({
  type: z.literal('management_change'),
  eventId: z.string().uuid(),
  occurredAt: z.string().datetime(),
  tenantId: z.string().min(1),
  requestId: z.string().min(1).max(200),
  /** The virtual key that made the change. */
  actorVirtualKeyId: z.string().min(1),
  /** The member who made it; null for the owner. */
  actorMemberId: z.string().min(1).nullable(),
  resource: z.enum(MANAGED_RESOURCES),
  /** The id of what changed (a provider key id, a model name, …); null for tenant-wide config. */
  resourceId: z.string().min(1).max(200).nullable(),
  action: z.enum(['create', 'update', 'delete']),
  before: JsonValueSchema.nullable(),
  after: JsonValueSchema.nullable(),
});

export type ManagementChangeEvent = z.infer<typeof ManagementChangeEventSchema>;
