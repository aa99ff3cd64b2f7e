import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A KEK version's check value (see `kekCheckValue` in @xai/crypto): lets a booting key-vault
 * tell a wrong KEK from the one its data was sealed under. Reveals nothing about the key.
 */
@Entity({ name: 'kek_checks' })
export class KekCheckEntity {
  @PrimaryColumn({ name: 'kek_version', type: 'integer' })
  kekVersion!: number;

  @Column({ name: 'check_value', type: 'bytea' })
  checkValue!: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
