import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The protocols the router speaks to upstream providers. */
export const PROVIDER_TYPES = ['openai', 'anthropic', 'gemini', 'azure'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** A parsed JSON object, as stored in a jsonb column. */
export type JsonObject = Record<string, unknown>;

/** A provider key's metadata. The secret itself lives only in key-vault, encrypted. */
@Entity({ name: 'provider_keys' })
export class ProviderKeyEntity {
  /** Chosen by the gateway, so key-vault and config agree on it. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  name!: string;

  @Column('int')
  level!: number;

  /** The provider's base URL. */
  @Column('text')
  provider!: string;

  /** Whether the key is enabled. */
  @Column('boolean')
  status!: boolean;

  @Column('text', { name: 'provider_type' })
  providerType!: ProviderType;

  /** Type-specific settings (for example Azure's api_version); never a secret. */
  // Typed `object` here because TypeORM's partial-entity type cannot express an open-ended JSON
  // object; the input validator guarantees a JsonObject.
  @Column('jsonb')
  config!: object;

  @Column('text', { name: 'secret_hint' })
  secretHint!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
