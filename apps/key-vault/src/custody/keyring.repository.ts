import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CredentialSlotEntity } from '../database/entities/credential-slot.entity';
import { KeyringEntity } from '../database/entities/keyring.entity';
import { ProviderKeyCiphertextEntity } from '../database/entities/provider-key-ciphertext.entity';

/** A credential slot as stored, without its timestamps. */
export type CredentialSlotRow = Omit<CredentialSlotEntity, 'createdAt'>;

/** A provider-key ciphertext as stored, without its timestamps. */
export type ProviderKeyCiphertextRow = Omit<ProviderKeyCiphertextEntity, 'createdAt' | 'updatedAt'>;

/** A new keyring with its first slot and first ciphertext, written together or not at all. */
export interface NewKeyring {
  tenantId: string;
  dekVersion: number;
  slot: CredentialSlotRow;
  ciphertext: ProviderKeyCiphertextRow;
}

/** Keyrings and their credential slots in PostgreSQL. */
@Injectable()
export class KeyringRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether the tenant has a keyring. */
  async exists(tenantId: string): Promise<boolean> {
    return this.dataSource.getRepository(KeyringEntity).existsBy({ tenantId });
  }

  /** One credential's slot, if the tenant has one for it. */
  async findSlot(tenantId: string, slotId: string): Promise<CredentialSlotRow | null> {
    return this.dataSource.getRepository(CredentialSlotEntity).findOneBy({ tenantId, slotId });
  }

  /**
   * Writes a new keyring, its first slot and its first ciphertext in one transaction. Resolves
   * `false`, writing nothing, when the tenant already has a keyring (for instance one a
   * concurrent request created a moment earlier).
   */
  async create(keyring: NewKeyring): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(KeyringEntity)
        .values({ tenantId: keyring.tenantId, dekVersion: keyring.dekVersion })
        .orIgnore()
        .returning('tenant_id')
        .execute();
      if ((inserted.raw as unknown[]).length === 0) return false;

      await manager.insert(CredentialSlotEntity, keyring.slot);
      await manager.insert(ProviderKeyCiphertextEntity, keyring.ciphertext);

      return true;
    });
  }
}
