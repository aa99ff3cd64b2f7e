import type { AttemptDetail, RequestAuditEvent, Usage } from '@xai/events';

/** How a request was priced: its cost in dollars (twelve decimals) and the price's source. */
export interface RequestPricing {
  costUsd: string | null;
  priceSource: string | null;
}

/** A request row as inserted (the chain columns are added by the appender). */
export interface RequestEventRow {
  eventId: string;
  requestId: string;
  tenantId: string;
  virtualKeyId: string;
  memberId: string | null;
  providerKeyId: string | null;
  providerType: string | null;
  level: number | null;
  requestedModel: string | null;
  upstreamModel: string | null;
  endpoint: string;
  status: number;
  errorCode: string | null;
  errorClass: string | null;
  stream: boolean;
  attempts: number;
  attemptsDetail: AttemptDetail[];
  latencyMs: number;
  ttftMs: number | null;
  promptTokens: number | null;
  cachedInputTokens: number | null;
  completionTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
  costUsd: string | null;
  priceSource: string | null;
  occurredAt: Date;
  /** What ingest corrected (see `usage-bounds.ts`), comma-separated; null when nothing. */
  ingestFlags: string | null;
}

/**
 * The row an audit event is stored as. `occurredAt` is kept to the millisecond (as a JS date
 * holds it) so that a cursor built from a read row matches the stored value exactly, and so the
 * chain hash computed now matches the one recomputed from the stored row.
 */
export function toRequestEventRow(
  event: RequestAuditEvent,
  pricing: RequestPricing = { costUsd: null, priceSource: null },
  ingestFlags: readonly string[] = [],
): RequestEventRow {
  return {
    // Stored as a uuid, which reads back in lower case: hashed as it will read back.
    eventId: event.eventId.toLowerCase(),
    requestId: event.requestId,
    tenantId: event.tenantId,
    virtualKeyId: event.virtualKeyId,
    memberId: event.memberId ?? null,
    providerKeyId: event.providerKeyId,
    providerType: event.providerType ?? null,
    level: event.level,
    requestedModel: event.requestedModel,
    upstreamModel: event.upstreamModel,
    endpoint: event.endpoint,
    status: event.status,
    errorCode: event.errorCode,
    errorClass: event.errorClass ?? null,
    stream: event.stream,
    attempts: event.attempts,
    attemptsDetail: event.attemptsDetail ?? [],
    latencyMs: event.latencyMs,
    ttftMs: event.ttftMs ?? null,
    ...usageColumns(event.usage),
    costUsd: pricing.costUsd,
    priceSource: pricing.priceSource,
    occurredAt: new Date(event.occurredAt),
    ingestFlags: ingestFlags.length > 0 ? ingestFlags.join(',') : null,
  };
}

type UsageColumns = Pick<
  RequestEventRow,
  'promptTokens' | 'cachedInputTokens' | 'completionTokens' | 'reasoningTokens' | 'totalTokens'
>;

/** Token columns: all null without usage; a detail the provider left out counts as 0 of it. */
function usageColumns(usage: Usage | null): UsageColumns {
  if (!usage) {
    return {
      promptTokens: null,
      cachedInputTokens: null,
      completionTokens: null,
      reasoningTokens: null,
      totalTokens: null,
    };
  }

  return {
    promptTokens: usage.promptTokens,
    cachedInputTokens: usage.cachedInputTokens ?? 0,
    completionTokens: usage.completionTokens,
    reasoningTokens: usage.reasoningTokens ?? 0,
    totalTokens: usage.totalTokens,
  };
}
