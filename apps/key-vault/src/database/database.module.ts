import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { openServiceDatabase } from '@xai/common';
import { DataSource } from 'typeorm';

import { KEY_VAULT_CONFIG, KeyVaultConfig } from '../key-vault.config';
import { CredentialSlotEntity } from './entities/credential-slot.entity';
import { KekCheckEntity } from './entities/kek-check.entity';
import { KeyringEntity } from './entities/keyring.entity';
import { ProviderKeyCiphertextEntity } from './entities/provider-key-ciphertext.entity';
import { TenantDestructionEntity } from './entities/tenant-destruction.entity';
import { KEY_VAULT_SCHEMA } from './key-vault-schema';
import { CreateKeyVaultTables1796401437012 } from './migrations/1796401437012-create-key-vault-tables';
import { AddCustodyLifecycle1796401437013 } from './migrations/1796401437013-add-custody-lifecycle';

/** key-vault's entity classes. */
export const KEY_VAULT_ENTITIES = [
  KeyringEntity,
  CredentialSlotEntity,
  ProviderKeyCiphertextEntity,
  KekCheckEntity,
  TenantDestructionEntity,
];

/** key-vault's migrations, oldest first. */
export const KEY_VAULT_MIGRATIONS = [
  CreateKeyVaultTables1796401437012,
  AddCustodyLifecycle1796401437013,
];

/**
 * Provides the TypeORM {@link DataSource} on the `key_vault` schema, created and migrated
 * before anything uses it, and closes it when the app shuts down.
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [KEY_VAULT_CONFIG],
      useFactory: (config: KeyVaultConfig): Promise<DataSource> =>
        openServiceDatabase({
          url: config.DATABASE_URL,
          schema: KEY_VAULT_SCHEMA,
          entities: KEY_VAULT_ENTITIES,
          migrations: KEY_VAULT_MIGRATIONS,
          poolMax: config.DATABASE_POOL_MAX,
          runMigrations: config.DATABASE_RUN_MIGRATIONS,
        }),
    },
  ],
  exports: [DataSource],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
