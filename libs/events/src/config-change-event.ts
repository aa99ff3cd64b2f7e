import { z } from 'zod/v4';

import { EventTimeSchema } from './audit-event';

/**
 * Published by config after a committed change: every gateway drops what it cached for the
 * tenant (routing snapshot, virtual keys and, when `providerKeyId` is set, that key's
 * plaintext).
 */
export const ConfigChangeEventSchema = z.object({
  tenantId: z.string().min(1),
  version: z.number().int().nonnegative(),
  kind: z.enum(['provider_key', 'tenant_config', 'virtual_key']),
  providerKeyId: z.string().optional(),
  occurredAt: EventTimeSchema,
});

export type ConfigChangeEvent = z.infer<typeof ConfigChangeEventSchema>;
