import { z } from 'zod/v4';

import { AuditIdSchema, EventTimeSchema, TraceparentSchema } from './audit-event';

/** What key-vault did with a provider key's ciphertext. */
export const KEY_USE_OPERATIONS = ['decrypt', 'encrypt', 'destroy'] as const;

/**
 * One use of a provider key by key-vault (DESIGN.md section 8): which key, for which request,
 * on whose credential, and whether it worked. Carries no key material.
 */
export const KeyUseEventSchema = z.object({
  type: z.literal('key_use'),
  eventId: z.guid('Invalid UUID'),
  occurredAt: EventTimeSchema,
  tenantId: AuditIdSchema,
  providerKeyId: AuditIdSchema,
  operation: z.enum(KEY_USE_OPERATIONS),
  /** The gateway request that asked for it, when one did. */
  requestId: z.string().min(1).max(200).nullable(),
  /** The credential slot that opened the tenant's keyring (a virtual key id), when one did. */
  slotId: AuditIdSchema.nullable(),
  outcome: z.enum(['ok', 'denied', 'error']),
  /** The W3C trace context of the call that used the key, when it was traced. */
  traceparent: TraceparentSchema.optional(),
});

export type KeyUseEvent = z.infer<typeof KeyUseEventSchema>;
