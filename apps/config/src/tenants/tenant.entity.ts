import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** PostgreSQL returns bigint as a string; versions stay far below 2^53. */
export const bigintAsNumber = {
  to: (value: number | undefined): number | undefined => value,
  from: (value: string | null): number | null => (value === null ? null : Number(value)),
};

/** A tenant and its routing configuration. */
@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'level_mapper', default: '' })
  levelMapper!: string;

  @Column('text', { name: 'model_mapper', default: '' })
  modelMapper!: string;

  @Column('text', { name: 'switch_over', default: '' })
  switchOver!: string;

  @Column('int', { name: 'default_level', default: 1 })
  defaultLevel!: number;

  /** Increases with every committed change to the tenant's config, keys or virtual keys. */
  @Column('bigint', { default: 0, transformer: bigintAsNumber })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
