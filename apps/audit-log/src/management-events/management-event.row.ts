import type { JsonValue, ManagementChangeEvent } from '@xai/events';

/** A management-change row as inserted (the chain columns are added by the appender). */
export interface ManagementEventRow {
  eventId: string;
  tenantId: string;
  requestId: string;
  actorVirtualKeyId: string;
  actorMemberId: string | null;
  resource: string;
  resourceId: string | null;
  action: string;
  before: JsonValue | null;
  after: JsonValue | null;
  occurredAt: Date;
}

/** The row a management-change event is stored as. */
export function toManagementEventRow(event: ManagementChangeEvent): ManagementEventRow {
  return {
    // Stored as a uuid, which reads back in lower case: hashed as it will read back.
    eventId: event.eventId.toLowerCase(),
    tenantId: event.tenantId,
    requestId: event.requestId,
    actorVirtualKeyId: event.actorVirtualKeyId,
    actorMemberId: event.actorMemberId,
    resource: event.resource,
    resourceId: event.resourceId,
    action: event.action,
    before: event.before,
    after: event.after,
    occurredAt: new Date(event.occurredAt),
  };
}
