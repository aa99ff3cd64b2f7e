import type { KeyUseEventRow } from '../key-use-events/key-use-event.row';
import type { ManagementEventRow } from '../management-events/management-event.row';
import type { RequestEventRow } from '../request-events/request-event.row';
import { canonicalJson, ChainField, encodeFields } from './chain-encoding';

/** The kinds of entry a tenant's chain holds, one table each. */
export type TrailKind = 'request' | 'key_use' | 'management_change';

/** The table of each kind. */
export const TRAIL_TABLE: Record<TrailKind, string> = {
  request: 'request_events',
  key_use: 'key_use_events',
  management_change: 'management_events',
};

/** A trail row of any kind, tagged with its kind. */
export type TrailRow =
  | { kind: 'request'; row: RequestEventRow }
  | { kind: 'key_use'; row: KeyUseEventRow }
  | { kind: 'management_change'; row: ManagementEventRow };

/**
 * The canonical bytes of an entry at position `seq` of its tenant's chain. Every stored column
 * but `recorded_at` is covered, in a fixed order per kind; docs/audit.md lists them.
 */
export function encodeEntry(entry: TrailRow, seq: number): Buffer {
  const head: ChainField[] = [entry.kind, entry.row.tenantId, seq, entry.row.eventId];
  switch (entry.kind) {
    case 'request':
      return encodeFields([...head, ...requestFields(entry.row)]);
    case 'key_use':
      return encodeFields([...head, ...keyUseFields(entry.row)]);
    case 'management_change':
      return encodeFields([...head, ...managementFields(entry.row)]);
  }
}

function requestFields(row: RequestEventRow): ChainField[] {
  return [
    row.requestId,
    row.virtualKeyId,
    row.memberId,
    row.providerKeyId,
    row.providerType,
    row.level,
    row.requestedModel,
    row.upstreamModel,
    row.endpoint,
    row.status,
    row.errorCode,
    row.errorClass,
    row.stream,
    row.attempts,
    row.attemptsDetail.map((attempt) => [
      attempt.providerKeyId,
      attempt.status,
      attempt.errorClass,
      attempt.ms,
    ]),
    row.latencyMs,
    row.ttftMs,
    row.promptTokens,
    row.cachedInputTokens,
    row.completionTokens,
    row.reasoningTokens,
    row.totalTokens,
    row.costUsd,
    row.priceSource,
    row.occurredAt.toISOString(),
    // Added later: encoded only when set, so entries stored before it keep their hashes.
    ...(row.ingestFlags === null || row.ingestFlags === undefined ? [] : [row.ingestFlags]),
  ];
}

function keyUseFields(row: KeyUseEventRow): ChainField[] {
  return [
    row.providerKeyId,
    row.operation,
    row.requestId,
    row.slotId,
    row.outcome,
    row.occurredAt.toISOString(),
  ];
}

function managementFields(row: ManagementEventRow): ChainField[] {
  return [
    row.requestId,
    row.actorVirtualKeyId,
    row.actorMemberId,
    row.resource,
    row.resourceId,
    row.action,
    row.before === null ? null : canonicalJson(row.before),
    row.after === null ? null : canonicalJson(row.after),
    row.occurredAt.toISOString(),
  ];
}
