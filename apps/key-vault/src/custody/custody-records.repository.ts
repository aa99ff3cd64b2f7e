import { Injectable } from '@nestjs/common';
import type { CustodyRecord, CustodyRecordKind } from '@xai/contracts';
import { DataSource } from 'typeorm';

import { KEY_VAULT_SCHEMA } from '../database/key-vault-schema';

const CIPHERTEXTS = `"${KEY_VAULT_SCHEMA}"."provider_key_ciphertexts"`;
const SLOTS = `"${KEY_VAULT_SCHEMA}"."credential_slots"`;
const PROVIDER_KEY: CustodyRecordKind = 'CUSTODY_RECORD_KIND_PROVIDER_KEY';
const SLOT: CustodyRecordKind = 'CUSTODY_RECORD_KIND_CREDENTIAL_SLOT';

// A ciphertext's age counts from its last write, a slot's from its creation; slots already
// scheduled for removal are the slot sweeper's.
const OLD_CIPHERTEXT = `"updated_at" < now() - make_interval(secs => $1)`;
const OLD_SLOT = `"expires_at" IS NULL AND "created_at" < now() - make_interval(secs => $1)`;

/** Ciphertexts and slots by address, for the janitor that removes those config no longer names. */
@Injectable()
export class CustodyRecordsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` records unchanged for `olderThanSeconds`, in (tenant, kind, id) order. */
  async listOlderThan(olderThanSeconds: number, limit: number): Promise<CustodyRecord[]> {
    const rows = await this.dataSource.query<{ tenant_id: string; kind: string; id: string }[]>(
      `SELECT "tenant_id", $2 AS "kind", "provider_key_id" AS "id" FROM ${CIPHERTEXTS}
        WHERE ${OLD_CIPHERTEXT}
       UNION ALL
       SELECT "tenant_id", $3 AS "kind", "slot_id" AS "id" FROM ${SLOTS} WHERE ${OLD_SLOT}
       ORDER BY 1, 2, 3 LIMIT $4`,
      [olderThanSeconds, PROVIDER_KEY, SLOT, limit],
    );

    return rows.map((row) => ({
      tenantId: row.tenant_id,
      kind: row.kind as CustodyRecordKind,
      id: row.id,
    }));
  }

  /**
   * Deletes each record only if it is still unchanged for `olderThanSeconds` (one transaction);
   * resolves those deleted.
   */
  async purgeOlderThan(
    records: readonly CustodyRecord[],
    olderThanSeconds: number,
  ): Promise<CustodyRecord[]> {
    return this.dataSource.transaction(async (manager) => {
      const purged: CustodyRecord[] = [];
      for (const record of records) {
        const [table, idColumn, age] =
          record.kind === SLOT
            ? [SLOTS, 'slot_id', OLD_SLOT]
            : [CIPHERTEXTS, 'provider_key_id', OLD_CIPHERTEXT];
        const deleted = await manager.query<unknown[]>(
          `DELETE FROM ${table} WHERE "tenant_id" = $2 AND "${idColumn}" = $3 AND ${age}
            RETURNING 1`,
          [olderThanSeconds, record.tenantId, record.id],
        );
        if (deletedCount(deleted) > 0) purged.push(record);
      }

      return purged;
    });
  }
}

// TypeORM's `query` answers a DELETE … RETURNING on PostgreSQL with [rows, count].
function deletedCount(result: unknown[]): number {
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[1];
  }

  return result.length;
}
