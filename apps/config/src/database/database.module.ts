import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { openServiceDatabase, ReadinessRegistry } from '@xai/common';
import { DataSource } from 'typeorm';

import { CONFIG_SERVICE_CONFIG, ConfigServiceConfig } from '../config.config';
import { KeyHealthEventEntity } from '../key-health/key-health-event.entity';
import { CreateKeyHealthEvents1764864000900 } from '../key-health/migrations/1764864000900-create-key-health-events';
import { MemberEntity } from '../members/member.entity';
import { CreateMembers1764864001200 } from '../members/migrations/1764864001200-create-members';
import { ProviderKeyEntity } from '../provider-keys/provider-key.entity';
import { TenantEntity } from '../tenants/tenant.entity';
import { VirtualKeyEntity } from '../virtual-keys/virtual-key.entity';
import { CONFIG_SCHEMA } from './config-schema';
import { CreateConfigTables1764864000000 } from './migrations/1764864000000-create-config-tables';
import { AddVirtualKeyExpiry1764864000300 } from './migrations/1764864000300-add-virtual-key-expiry';
import { UnitOfWork } from './unit-of-work';

/** Every entity of the config schema. */
export const CONFIG_ENTITIES = [
  TenantEntity,
  VirtualKeyEntity,
  ProviderKeyEntity,
  KeyHealthEventEntity,
  MemberEntity,
];

/** Every migration of the config schema, oldest first. */
export const CONFIG_MIGRATIONS = [
  CreateConfigTables1764864000000,
  AddVirtualKeyExpiry1764864000300,
  CreateKeyHealthEvents1764864000900,
  CreateMembers1764864001200,
];

/** The service's PostgreSQL connection, its transactions and its readiness check. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [CONFIG_SERVICE_CONFIG],
      useFactory: (config: ConfigServiceConfig): Promise<DataSource> =>
        openServiceDatabase({
          url: config.DATABASE_URL,
          schema: CONFIG_SCHEMA,
          entities: CONFIG_ENTITIES,
          migrations: CONFIG_MIGRATIONS,
          poolMax: config.DATABASE_POOL_MAX,
          runMigrations: config.DATABASE_RUN_MIGRATIONS,
        }),
    },
    UnitOfWork,
  ],
  exports: [DataSource, UnitOfWork],
})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }

  // After the listeners have stopped, so in-flight calls finish their queries first.
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
