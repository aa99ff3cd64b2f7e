import type { ChangeRecord, KeyUseRecord } from '@xai/contracts';

import type { ChangeRowView, KeyUseRowView } from './trail-events.repository';

/** A key-use row as the proto's KeyUseRecord: nulls become '', proto3's "unset". */
export function toKeyUseRecord(row: KeyUseRowView): KeyUseRecord {
  return {
    eventId: row.event_id,
    tenantId: row.tenant_id,
    providerKeyId: row.provider_key_id,
    operation: row.operation,
    requestId: row.request_id ?? '',
    slotId: row.slot_id ?? '',
    outcome: row.outcome,
    createdAt: row.occurred_at.toISOString(),
    chainSeq: Number(row.chain_seq),
  };
}

/** A management-change row as the proto's ChangeRecord, its states as JSON text. */
export function toChangeRecord(row: ChangeRowView): ChangeRecord {
  return {
    eventId: row.event_id,
    tenantId: row.tenant_id,
    requestId: row.request_id,
    actorVirtualKeyId: row.actor_virtual_key_id,
    actorMemberId: row.actor_member_id ?? '',
    resource: row.resource,
    resourceId: row.resource_id ?? '',
    action: row.action,
    beforeJson: row.before === null ? '' : JSON.stringify(row.before),
    afterJson: row.after === null ? '' : JSON.stringify(row.after),
    createdAt: row.occurred_at.toISOString(),
    chainSeq: Number(row.chain_seq),
  };
}
