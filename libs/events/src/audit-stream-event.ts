import { z } from 'zod/v4';

import { RequestAuditEventSchema } from './audit-event';
import { KeyUseEventSchema } from './key-use-event';
import { ManagementChangeEventSchema } from './management-change-event';

/** Anything published on the audit stream, told apart by `type`. */
export const AuditStreamEventSchema = z.discriminatedUnion(
  'type',
  [RequestAuditEventSchema, KeyUseEventSchema, ManagementChangeEventSchema],
  { error: 'Invalid event type: expected "request", "key_use" or "management_change"' },
);

export type AuditStreamEvent = z.infer<typeof AuditStreamEventSchema>;
