import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A member of a tenant: a sub-account the owner creates, whose virtual keys call models under
 * the member's rules first and the owner's after them.
 */
@Entity({ name: 'members' })
export class MemberEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  /** Unique within the tenant. */
  @Column('text')
  name!: string;

  /** ModelMapper rules in canonical form, tried before the owner's; empty for none. */
  @Column('text', { name: 'model_mapper', default: '' })
  modelMapper!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
