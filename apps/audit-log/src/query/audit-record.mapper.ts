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
    ...details(row),
  };
}

/** The fields added by issue #6: attempts, timings, usage details, cost and chain position. */
function details(row: RequestEventEntity): Partial<AuditRecord> {
  return {
    memberId: row.memberId ?? '',
    providerType: row.providerType ?? '',
    errorClass: row.errorClass ?? '',
    attemptsDetail: (row.attemptsDetail ?? []).map((attempt) => ({
      providerKeyId: attempt.providerKeyId,
      status: attempt.status ?? 0,
      errorClass: attempt.errorClass ?? '',
      ms: attempt.ms,
    })),
    ...(row.ttftMs === null || row.ttftMs === undefined ? {} : { ttftMs: row.ttftMs }),
    cachedInputTokens: row.cachedInputTokens ?? 0,
    reasoningTokens: row.reasoningTokens ?? 0,
    costUsd: row.costUsd ?? '',
    priceSource: row.priceSource ?? '',
    hasUsage: row.promptTokens !== null && row.promptTokens !== undefined,
    chainSeq: Number(row.chainSeq ?? 0),
    ingestFlags: row.ingestFlags ?? '',
  };
}
