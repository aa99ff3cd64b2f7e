import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

import { MAX_ID_LENGTH } from '../key-vault-schema';

/**
 * One credential's copy of a tenant's DEK: `sealed` is the outer seal under the KEK (version
 * `kekVersion`) of the inner seal of DEK version `dekVersion` under a key derived from the
 * credential's wrapping secret. Neither the KEK nor the database alone opens it.
 */
@Entity({ name: 'credential_slots' })
export class CredentialSlotEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: MAX_ID_LENGTH })
  tenantId!: string;

  @PrimaryColumn({ name: 'slot_id', type: 'varchar', length: MAX_ID_LENGTH })
  slotId!: string;

  @Column({ name: 'dek_version', type: 'integer' })
  dekVersion!: number;

  @Column({ name: 'kek_version', type: 'integer' })
  kekVersion!: number;

  @Column({ name: 'sealed', type: 'bytea' })
  sealed!: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When the slot stops opening (a rotated virtual key's grace period); null: never. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
