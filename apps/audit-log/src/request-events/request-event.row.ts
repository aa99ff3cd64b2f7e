import type { RequestAuditEvent } from '@xai/events';

import type { RequestEventEntity } from './request-event.entity';

/** A row as inserted: everything but `recordedAt`, which the database sets. */
export type RequestEventRow = Omit<RequestEventEntity, 'recordedAt'>;

/**
 * The row an audit event is stored as. `occurredAt` is kept to the millisecond (as a JS date
 * holds it) so that a cursor built from a read row matches the stored value exactly.
 */
export function toRequestEventRow(event: RequestAuditEvent): RequestEventRow {
  return {
    eventId: event.eventId,
    requestId: event.requestId,
    tenantId: event.tenantId,
    virtualKeyId: event.virtualKeyId,
    providerKeyId: event.providerKeyId,
    level: event.level,
    requestedModel: event.requestedModel,
    upstreamModel: event.upstreamModel,
    endpoint: event.endpoint,
    status: event.status,
    errorCode: event.errorCode,
    stream: event.stream,
    attempts: event.attempts,
    latencyMs: event.latencyMs,
    promptTokens: event.usage?.promptTokens ?? null,
    completionTokens: event.usage?.completionTokens ?? null,
    totalTokens: event.usage?.totalTokens ?? null,
    occurredAt: new Date(event.occurredAt),
  };
}
