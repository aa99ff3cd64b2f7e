import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { MAX_ID_LENGTH } from '../key-vault-schema';

/** A record that a tenant's keyring was destroyed (crypto-shredding): when, and who asked. */
@Entity({ name: 'tenant_destructions' })
export class TenantDestructionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: MAX_ID_LENGTH })
  tenantId!: string;

  /** The id of the virtual key that authorised the deletion. */
  @Column({ name: 'destroyed_by', type: 'varchar', length: MAX_ID_LENGTH })
  destroyedBy!: string;

  @Column({ name: 'request_id', type: 'varchar', length: MAX_ID_LENGTH })
  requestId!: string;

  @Column({ name: 'slots_destroyed', type: 'integer' })
  slotsDestroyed!: number;

  @Column({ name: 'ciphertexts_destroyed', type: 'integer' })
  ciphertextsDestroyed!: number;

  @CreateDateColumn({ name: 'destroyed_at', type: 'timestamptz' })
  destroyedAt!: Date;
}
