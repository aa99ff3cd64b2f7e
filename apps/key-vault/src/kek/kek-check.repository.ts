import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CredentialSlotEntity } from '../database/entities/credential-slot.entity';
import { KekCheckEntity } from '../database/entities/kek-check.entity';

/** A slot's address and seal, enough to try its outer layer. */
export type SlotSample = Pick<
  CredentialSlotEntity,
  'tenantId' | 'slotId' | 'dekVersion' | 'kekVersion' | 'sealed'
>;

/** KEK check values, and what the slots say about the KEK versions in use. */
@Injectable()
export class KekCheckRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every stored check value by KEK version. */
  async checks(): Promise<Map<number, Buffer>> {
    const rows = await this.dataSource.getRepository(KekCheckEntity).find();

    return new Map(rows.map((row) => [row.kekVersion, row.checkValue]));
  }

  /** Stores check values for versions that have none; an existing one is never replaced. */
  async insertMissing(values: ReadonlyMap<number, Buffer>): Promise<void> {
    if (values.size === 0) return;
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(KekCheckEntity)
      .values([...values].map(([kekVersion, checkValue]) => ({ kekVersion, checkValue })))
      .orIgnore()
      .execute();
  }

  /** The KEK versions that at least one slot is sealed under. */
  async versionsInUse(): Promise<number[]> {
    const rows = await this.dataSource.query<{ kek_version: number }[]>(
      'SELECT DISTINCT "kek_version" FROM "key_vault"."credential_slots"',
    );

    return rows.map((row) => Number(row.kek_version));
  }

  /** How many slots each KEK version seals, by version. */
  async slotsPerVersion(): Promise<Map<number, number>> {
    const rows = await this.dataSource.query<{ kek_version: number; slots: string }[]>(
      'SELECT "kek_version", count(*) AS "slots" FROM "key_vault"."credential_slots" ' +
        'GROUP BY "kek_version"',
    );

    return new Map(rows.map((row) => [Number(row.kek_version), Number(row.slots)]));
  }

  /** One slot sealed under `kekVersion`, if any. */
  async sampleSlot(kekVersion: number): Promise<SlotSample | null> {
    return this.dataSource.getRepository(CredentialSlotEntity).findOne({
      select: { tenantId: true, slotId: true, dekVersion: true, kekVersion: true, sealed: true },
      where: { kekVersion },
    });
  }
}
