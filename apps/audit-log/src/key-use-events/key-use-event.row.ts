import type { KeyUseEvent } from '@xai/events';

/** A key-use row as inserted (the chain columns are added by the appender). */
export interface KeyUseEventRow {
  eventId: string;
  tenantId: string;
  providerKeyId: string;
  operation: string;
  requestId: string | null;
  slotId: string | null;
  outcome: string;
  occurredAt: Date;
}

/** The row a key-use event is stored as. */
export function toKeyUseEventRow(event: KeyUseEvent): KeyUseEventRow {
  return {
    // Stored as a uuid, which reads back in lower case: hashed as it will read back.
    eventId: event.eventId.toLowerCase(),
    tenantId: event.tenantId,
    providerKeyId: event.providerKeyId,
    operation: event.operation,
    requestId: event.requestId,
    slotId: event.slotId,
    outcome: event.outcome,
    occurredAt: new Date(event.occurredAt),
  };
}
