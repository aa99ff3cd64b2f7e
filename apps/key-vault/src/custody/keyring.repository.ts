import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { CredentialSlotEntity } from '../database/entities/credential-slot.entity';
import { KeyringEntity } from '../database/entities/keyring.entity';
import { ProviderKeyCiphertextEntity } from '../database/entities/provider-key-ciphertext.entity';
import { TenantDestructionEntity } from '../database/entities/tenant-destruction.entity';

/** A credential slot as stored, without its timestamps. */
export type CredentialSlotRow = Omit<CredentialSlotEntity, 'createdAt' | 'expiresAt'>;

/** A live credential slot as read to open it: the row and when it stops opening (null: never). */
export type OpenableSlot = CredentialSlotRow & { expiresAt?: Date | null };

/** A provider-key ciphertext as stored, without its timestamps. */
export type ProviderKeyCiphertextRow = Omit<ProviderKeyCiphertextEntity, 'createdAt' | 'updatedAt'>;

/** A new keyring with its first slots and, optionally, its first ciphertext: all or nothing. */
export interface NewKeyring {
  tenantId: string;
  dekVersion: number;
  slots: CredentialSlotRow[];
  ciphertext?: ProviderKeyCiphertextRow;
}

/** Who destroyed a tenant's keyring, for the record kept afterwards. */
export interface DestructionRequest {
  tenantId: string;
  destroyedBy: string;
  requestId: string;
}

/** What a destruction removed. */
export interface DestructionResult {
  destroyed: boolean;
  slotsDestroyed: number;
  ciphertextsDestroyed: number;
}

const NOT_EXPIRED = '(slot.expires_at IS NULL OR slot.expires_at > now())';

/** A row of {@link KeyringRepository.findSlotAndCiphertext}'s query. */
interface SlotAndCiphertextRow {
  dek_version: number;
  kek_version: number;
  sealed: Buffer;
  expires_at: Date | null;
  key_dek_version: number | null;
  ciphertext: Buffer | null;
}

/** Keyrings and their credential slots in PostgreSQL. */
@Injectable()
export class KeyringRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether the tenant has a keyring. */
  async exists(tenantId: string): Promise<boolean> {
    return this.dataSource.getRepository(KeyringEntity).existsBy({ tenantId });
  }

  /** The tenant's current DEK version, if it has a keyring. */
  async dekVersion(tenantId: string): Promise<number | undefined> {
    const row = await this.dataSource.getRepository(KeyringEntity).findOneBy({ tenantId });

    return row?.dekVersion;
  }

  /** One credential's slot, if the tenant has one for it that has not expired. */
  async findSlot(tenantId: string, slotId: string): Promise<OpenableSlot | null> {
    return this.dataSource
      .getRepository(CredentialSlotEntity)
      .createQueryBuilder('slot')
      .select([
        ...['slot.tenantId', 'slot.slotId', 'slot.dekVersion', 'slot.kekVersion', 'slot.sealed'],
        'slot.expiresAt',
      ])
      .where('slot.tenant_id = :tenantId AND slot.slot_id = :slotId', { tenantId, slotId })
      .andWhere(NOT_EXPIRED)
      .getOne();
  }

  /**
   * One credential's live slot and, in the same query (one round trip, one PostgreSQL backend
   * woken on the cold-key path), a provider key's ciphertext. The ciphertext is null when the
   * slot is (the credential opens nothing) or when none is stored.
   */
  async findSlotAndCiphertext(
    tenantId: string,
    slotId: string,
    providerKeyId: string,
  ): Promise<{ slot: OpenableSlot | null; ciphertext: ProviderKeyCiphertextRow | null }> {
    const rows = await this.dataSource.query<SlotAndCiphertextRow[]>(
      `SELECT slot."dek_version", slot."kek_version", slot."sealed", slot."expires_at",
         key."dek_version" AS "key_dek_version", key."ciphertext"
       FROM "key_vault"."credential_slots" slot
       LEFT JOIN "key_vault"."provider_key_ciphertexts" key
         ON key."tenant_id" = slot."tenant_id" AND key."provider_key_id" = $3
       WHERE slot."tenant_id" = $1 AND slot."slot_id" = $2 AND ${NOT_EXPIRED}`,
      [tenantId, slotId, providerKeyId],
    );
    const row = rows[0];
    if (!row) return { slot: null, ciphertext: null };

    return {
      slot: {
        tenantId,
        slotId,
        dekVersion: row.dek_version,
        kekVersion: row.kek_version,
        sealed: row.sealed,
        expiresAt: row.expires_at,
      },
      ciphertext:
        row.ciphertext === null || row.key_dek_version === null
          ? null
          : {
              tenantId,
              providerKeyId,
              dekVersion: row.key_dek_version,
              ciphertext: row.ciphertext,
            },
    };
  }

  /**
   * Writes a new keyring with its slots (and first ciphertext) in one transaction. Resolves
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

      await manager.insert(CredentialSlotEntity, keyring.slots);
      if (keyring.ciphertext) await manager.insert(ProviderKeyCiphertextEntity, keyring.ciphertext);

      return true;
    });
  }

  /** Adds a slot; resolves `false`, writing nothing, when the slot id is taken. */
  async insertSlot(slot: CredentialSlotRow): Promise<boolean> {
    const inserted = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(CredentialSlotEntity)
      .values(slot)
      .orIgnore()
      .returning('slot_id')
      .execute();

    return (inserted.raw as unknown[]).length > 0;
  }

  /** Destroys a slot at once; resolves whether it existed. */
  async deleteSlot(tenantId: string, slotId: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(CredentialSlotEntity)
      .delete({ tenantId, slotId });

    return (result.affected ?? 0) > 0;
  }

  /**
   * Lets a slot expire at `expiresAt` (never later than an expiry already set); resolves
   * whether it existed.
   */
  async expireSlot(tenantId: string, slotId: string, expiresAt: Date): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(CredentialSlotEntity)
      .set({ expiresAt: () => 'LEAST(COALESCE(expires_at, :expiresAt), :expiresAt)' })
      .setParameter('expiresAt', expiresAt)
      .where('tenant_id = :tenantId AND slot_id = :slotId', { tenantId, slotId })
      .execute();

    return (result.affected ?? 0) > 0;
  }

  /** Destroys every slot whose grace period is over; resolves how many. */
  async deleteExpiredSlots(): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(CredentialSlotEntity)
      .where('expires_at IS NOT NULL AND expires_at <= now()')
      .execute();

    return result.affected ?? 0;
  }

  /**
   * Crypto-shredding: deletes the keyring, and with it (ON DELETE CASCADE) every slot and
   * ciphertext, and records who asked, in one transaction.
   */
  async destroy(request: DestructionRequest): Promise<DestructionResult> {
    return this.dataSource.transaction(async (manager) => {
      const counts = await countRows(manager, request.tenantId);
      const deleted = await manager.delete(KeyringEntity, { tenantId: request.tenantId });
      const result = { destroyed: (deleted.affected ?? 0) > 0, ...counts };
      await manager.insert(TenantDestructionEntity, { ...request, ...counts });

      return result;
    });
  }
}

async function countRows(
  manager: EntityManager,
  tenantId: string,
): Promise<Omit<DestructionResult, 'destroyed'>> {
  // Locks the keyring first, so nothing is added under it between the counts and the delete.
  await manager.query('SELECT 1 FROM "key_vault"."keyrings" WHERE "tenant_id" = $1 FOR UPDATE', [
    tenantId,
  ]);

  return {
    slotsDestroyed: await manager.countBy(CredentialSlotEntity, { tenantId }),
    ciphertextsDestroyed: await manager.countBy(ProviderKeyCiphertextEntity, { tenantId }),
  };
}
