import type { AuditRecord } from '@xai/contracts';

/** Token counts of a record: null in JSON (empty in CSV) when the provider reported no usage. */
const TOKEN_FIELDS = [
  'promptTokens',
  'completionTokens',
  'totalTokens',
  'cachedInputTokens',
  'reasoningTokens',
] as const;

/** An audit record as `/x-audit` answers it in JSON. */
export type AuditRecordView = Omit<AuditRecord, (typeof TOKEN_FIELDS)[number]> & {
  [field in (typeof TOKEN_FIELDS)[number]]: number | null;
};

/**
 * A record for the JSON answer: without the markers the gRPC loader adds for proto3 `optional`
 * fields (`_ttftMs: "ttftMs"`), and with null token counts when the provider reported no usage,
 * as the CSV export leaves those cells empty, so 0 always means "reported as 0".
 */
export function toAuditRecordView(record: AuditRecord): AuditRecordView {
  const view = Object.fromEntries(
    Object.entries(record).filter(([field]) => !field.startsWith('_')),
  ) as AuditRecordView;
  if (!record.hasUsage) {
    for (const field of TOKEN_FIELDS) view[field] = null;
  }

  return view;
}
