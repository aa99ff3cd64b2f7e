import type { AuditRecord } from '@xai/contracts';
import { AUDIT_EVENT_BOUNDS } from '@xai/events';

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
    requestedModel: clip(row.requestedModel ?? '', AUDIT_EVENT_BOUNDS.model),
    upstreamModel: clip(row.upstreamModel ?? '', AUDIT_EVENT_BOUNDS.model),
    endpoint: clip(row.endpoint, AUDIT_EVENT_BOUNDS.endpoint),
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

/**
 * Free text as listed: a value past the ingest bound (only rows stored before the bounds
 * existed can hold one) is cut there and marked, so one row cannot make a page too large to
 * answer. The stored row, and its hash, are untouched.
 */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[cut at ${max} of ${text.length}]`;
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
