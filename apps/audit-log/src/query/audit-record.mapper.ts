import type { AuditRecord } from '@xai/contracts';

import type { RequestEventEntity } from '../request-events/request-event.entity';

/** A trail row as the proto's AuditRecord: nulls become '' or 0, proto3's "unset". */
export function toAuditRecord(row: RequestEventEntity): AuditRecord {
  return {
    eventId: row.eventId,
    requestId: row.requestId,
    tenantId: row.tenantId,
    virtualKeyId: row.virtualKeyId,
    providerKeyId: row.providerKeyId ?? '',
    level: row.level ?? 0,
    requestedModel: row.requestedModel ?? '',
    upstreamModel: row.upstreamModel ?? '',
    endpoint: row.endpoint,
    status: row.status,
    errorCode: row.errorCode ?? '',
    stream: row.stream,
    attempts: row.attempts,
    latencyMs: row.latencyMs,
    promptTokens: row.promptTokens ?? 0,
    completionTokens: row.completionTokens ?? 0,
    totalTokens: row.totalTokens ?? 0,
    createdAt: row.occurredAt.toISOString(),
  };
}
