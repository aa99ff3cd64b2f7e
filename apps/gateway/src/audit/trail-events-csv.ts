import type { ChangeRecord, KeyUseRecord } from '@xai/contracts';

import type { CsvColumn } from './csv';

/** The columns of a key-use export, one use per line. */
export const KEY_USE_CSV_COLUMNS: readonly CsvColumn<KeyUseRecord>[] = [
  ['created_at', (r) => r.createdAt],
  ['event_id', (r) => r.eventId],
  ['provider_key_id', (r) => r.providerKeyId],
  ['operation', (r) => r.operation],
  ['request_id', (r) => r.requestId],
  ['slot_id', (r) => r.slotId],
  ['outcome', (r) => r.outcome],
  ['chain_seq', (r) => r.chainSeq],
];

/** The columns of a management-change export; the states are JSON text. */
export const CHANGE_CSV_COLUMNS: readonly CsvColumn<ChangeRecord>[] = [
  ['created_at', (r) => r.createdAt],
  ['event_id', (r) => r.eventId],
  ['request_id', (r) => r.requestId],
  ['actor_virtual_key_id', (r) => r.actorVirtualKeyId],
  ['actor_member_id', (r) => r.actorMemberId],
  ['resource', (r) => r.resource],
  ['resource_id', (r) => r.resourceId],
  ['action', (r) => r.action],
  ['before', (r) => r.beforeJson],
  ['after', (r) => r.afterJson],
  ['chain_seq', (r) => r.chainSeq],
];
