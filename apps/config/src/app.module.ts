import { Module } from '@nestjs/common';
import { HealthModule } from '@xai/common';

import { CONFIG_SERVICE_CONFIG, loadConfigServiceConfig } from './config.config';
import { DatabaseModule } from './database/database.module';
import { KeyHealthModule } from './key-health/key-health.module';
import { ConfigEventsModule } from './events/config-events.module';
import { ProviderKeysModule } from './provider-keys/provider-keys.module';
import { RoutingSnapshotsModule } from './routing-snapshots/routing-snapshots.module';
import { TenantsModule } from './tenants/tenants.module';
import { VirtualKeysModule } from './virtual-keys/virtual-keys.module';

/** Holds the validated environment for every module of the process. */
@Module({
  providers: [{ provide: CONFIG_SERVICE_CONFIG, useFactory: () => loadConfigServiceConfig() }],
  exports: [CONFIG_SERVICE_CONFIG],
})
class ConfigServiceConfigModule {}

/** The config service: tenants, virtual-key records, provider-key metadata, routing config. */
@Module({
  imports: [
    { module: ConfigServiceConfigModule, global: true },
    HealthModule,
    DatabaseModule,
    ConfigEventsModule,
    TenantsModule,
    ProviderKeysModule,
    VirtualKeysModule,
    RoutingSnapshotsModule,
    KeyHealthModule,
  ],
})
export class AppModule {}
