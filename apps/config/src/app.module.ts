import { Module } from '@nestjs/common';
import { HealthModule, SERVICE_IDENTITY, serviceIdentityProvider } from '@xai/common';
import { TelemetryModule } from '@xai/telemetry';

import { CONFIG_SERVICE_CONFIG, loadConfigServiceConfig } from './config.config';
import { ConfigErrorCode } from './errors/config-error-code';
import { ConfigException } from './errors/config.exception';
import { DatabaseModule } from './database/database.module';
import { KeyHealthModule } from './key-health/key-health.module';
import { MembersModule } from './members/members.module';
import { ConfigEventsModule } from './events/config-events.module';
import { ProviderKeysModule } from './provider-keys/provider-keys.module';
import { RoutingSnapshotsModule } from './routing-snapshots/routing-snapshots.module';
import { TenantsModule } from './tenants/tenants.module';
import { VirtualKeysModule } from './virtual-keys/virtual-keys.module';

/** Holds the validated environment, and who may call the gRPC API, for every module. */
@Module({
  providers: [
    { provide: CONFIG_SERVICE_CONFIG, useFactory: () => loadConfigServiceConfig() },
    serviceIdentityProvider(
      CONFIG_SERVICE_CONFIG,
      'config',
      (message) => new ConfigException(ConfigErrorCode.CallerNotAllowed, message),
    ),
  ],
  exports: [CONFIG_SERVICE_CONFIG, SERVICE_IDENTITY],
})
class ConfigServiceConfigModule {}

/** The config service: tenants, virtual-key records, provider-key metadata, routing config. */
@Module({
  imports: [
    { module: ConfigServiceConfigModule, global: true },
    HealthModule,
    TelemetryModule,
    DatabaseModule,
    ConfigEventsModule,
    TenantsModule,
    ProviderKeysModule,
    VirtualKeysModule,
    MembersModule,
    RoutingSnapshotsModule,
    KeyHealthModule,
  ],
})
export class AppModule {}
