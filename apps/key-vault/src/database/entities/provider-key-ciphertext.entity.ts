import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

import { MAX_ID_LENGTH } from '../key-vault-schema';

/** A provider key sealed under its tenant's DEK (version `dekVersion`). */
@Entity({ name: 'provider_key_ciphertexts' })
export class ProviderKeyCiphertextEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: MAX_ID_LENGTH })
  tenantId!: string;

  @PrimaryColumn({ name: 'provider_key_id', type: 'varchar', length: MAX_ID_LENGTH })
  providerKeyId!: string;

  @Column({ name: 'dek_version', type: 'integer' })
  dekVersion!: number;

  @Column({ name: 'ciphertext', type: 'bytea' })
  ciphertext!: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
