import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CredentialSlotEntity } from '../database/entities/credential-slot.entity';
import { KEY_VAULT_SCHEMA } from '../database/key-vault-schema';

/** A slot as the rotation job reads and rewrites it. */
export type RotatableSlot = Pick<
  CredentialSlotEntity,
  'tenantId' | 'slotId' | 'dekVersion' | 'kekVersion' | 'sealed'
>;

/** Where a batch starts: after this slot, in (tenant id, slot id) order. */
export interface SlotCursor {
  tenantId: string;
  slotId: string;
}

const SLOTS = `"${KEY_VAULT_SCHEMA}"."credential_slots"`;

/** The slot queries of the KEK rotation job. */
@Injectable()
export class KekRotationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** How many slots each KEK version seals. */
  async slotsPerVersion(): Promise<Map<number, number>> {
    const rows = await this.dataSource.query<{ kek_version: number; slots: string }[]>(
      `SELECT "kek_version", count(*) AS "slots" FROM ${SLOTS} GROUP BY "kek_version"`,
    );

    return new Map(rows.map((row) => [Number(row.kek_version), Number(row.slots)]));
  }

  /** Up to `limit` slots not on `targetVersion`, after `cursor` in key order. */
  async nextBatch(
    targetVersion: number,
    cursor: SlotCursor | undefined,
    limit: number,
  ): Promise<RotatableSlot[]> {
    const query = this.dataSource
      .getRepository(CredentialSlotEntity)
      .createQueryBuilder('slot')
      .select(['slot.tenantId', 'slot.slotId', 'slot.dekVersion', 'slot.kekVersion', 'slot.sealed'])
      .where('slot.kek_version <> :targetVersion', { targetVersion })
      .orderBy('slot.tenant_id')
      .addOrderBy('slot.slot_id')
      .limit(limit);
    if (cursor) {
      query.andWhere('(slot.tenant_id, slot.slot_id) > (:tenantId, :slotId)', cursor);
    }

    return query.getMany();
  }

  /**
   * Writes rewrapped seals in one transaction, each only if its row is still exactly as read
   * (compare-and-set on the KEK version and the sealed bytes): a slot removed, replaced or
   * already rewrapped by another run meanwhile is left alone. Resolves how many were written.
   */
  async compareAndSet(
    updates: readonly { before: RotatableSlot; after: RotatableSlot }[],
  ): Promise<number> {
    if (updates.length === 0) return 0;

    return this.dataSource.transaction(async (manager) => {
      let written = 0;
      for (const { before, after } of updates) {
        const rows = await manager.query<unknown[]>(
          `UPDATE ${SLOTS} SET "kek_version" = $1, "sealed" = $2
            WHERE "tenant_id" = $3 AND "slot_id" = $4 AND "kek_version" = $5 AND "sealed" = $6
            RETURNING 1`,
          [
            after.kekVersion,
            after.sealed,
            before.tenantId,
            before.slotId,
            before.kekVersion,
            before.sealed,
          ],
        );
        written += rowCount(rows);
      }

      return written;
    });
  }
}

// TypeORM's `query` answers an UPDATE … RETURNING on PostgreSQL with [rows, count].
function rowCount(result: unknown[]): number {
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[1];
  }

  return result.length;
}
