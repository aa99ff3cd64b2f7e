import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

import { MAX_ID_LENGTH } from '../key-vault-schema';

/**
 * A tenant's keyring: the tenant has a data key (DEK), which exists only sealed inside its
 * credential slots. The row records that it exists and which DEK version is current.
 */
@Entity({ name: 'keyrings' })
export class KeyringEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: MAX_ID_LENGTH })
  tenantId!: string;

  @Column({ name: 'dek_version', type: 'integer' })
  dekVersion!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
