import type { AuditRecord, UsageRow } from '@xai/contracts';

import type { CsvColumn } from './csv';

/** The columns of an audit export, one record per line. */
export const AUDIT_CSV_COLUMNS: readonly CsvColumn<AuditRecord>[] = [
  ['created_at', (r) => r.createdAt],
  ['request_id', (r) => r.requestId],
  ['event_id', (r) => r.eventId],
  ['virtual_key_id', (r) => r.virtualKeyId],
  ['member_id', (r) => r.memberId ?? ''],
  ['provider_key_id', (r) => r.providerKeyId],
  ['provider_type', (r) => r.providerType ?? ''],
  ['level', (r) => r.level],
  ['requested_model', (r) => r.requestedModel],
  ['upstream_model', (r) => r.upstreamModel],
  ['endpoint', (r) => r.endpoint],
  ['status', (r) => r.status],
  ['error_code', (r) => r.errorCode],
  ['error_class', (r) => r.errorClass ?? ''],
  ['stream', (r) => r.stream],
  ['attempts', (r) => r.attempts],
  ['attempt_keys', (r) => (r.attemptsDetail ?? []).map((a) => a.providerKeyId).join(' ')],
  ['latency_ms', (r) => r.latencyMs],
  ['ttft_ms', (r) => (r.ttftMs === undefined ? '' : r.ttftMs)],
  // Usage columns are empty, not 0, when the provider reported none.
  ['input_tokens', (r) => (r.hasUsage ? r.promptTokens : '')],
  ['cached_input_tokens', (r) => (r.hasUsage ? (r.cachedInputTokens ?? 0) : '')],
  ['output_tokens', (r) => (r.hasUsage ? r.completionTokens : '')],
  ['reasoning_tokens', (r) => (r.hasUsage ? (r.reasoningTokens ?? 0) : '')],
  ['total_tokens', (r) => (r.hasUsage ? r.totalTokens : '')],
  ['cost_usd', (r) => r.costUsd ?? ''],
  ['price_source', (r) => r.priceSource ?? ''],
  ['chain_seq', (r) => r.chainSeq ?? ''],
];

/** The columns of a usage export; `key` is named after the grouping. */
export function usageCsvColumns(keyHeader: string): readonly CsvColumn<UsageRow>[] {
  return [
    [keyHeader, (r) => r.key],
    ['requests', (r) => r.requests],
    ['errors', (r) => r.errors],
    ['input_tokens', (r) => r.inputTokens],
    ['cached_input_tokens', (r) => r.cachedInputTokens],
    ['output_tokens', (r) => r.outputTokens],
    ['reasoning_tokens', (r) => r.reasoningTokens],
    ['cost_usd', (r) => r.costUsd],
    ['unpriced_requests', (r) => r.unpricedRequests],
  ];
}
