import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type VirtualKeyRoleName = 'owner' | 'member' | 'recovery';
export type VirtualKeyStatus = 'active' | 'revoked';

/** A virtual key's record. Only the gateway's keyed hash of the key is stored, never the key. */
@Entity({ name: 'virtual_keys' })
export class VirtualKeyEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  /** HMAC-SHA256 (lowercase hex) of the key under the gateway's pepper. */
  @Column('text', { name: 'key_hash', unique: true })
  keyHash!: string;

  /** A short, non-secret prefix for display. */
  @Column('text')
  hint!: string;

  @Column('text')
  role!: VirtualKeyRoleName;

  @Column('text')
  name!: string;

  @Column('text')
  status!: VirtualKeyStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  /** When the key stops authenticating (after a rotation with a grace period); null: never. */
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  /** The member the key was issued for (member role only); null for every other key. */
  @Column('uuid', { name: 'member_id', nullable: true })
  memberId!: string | null;
}
