import { Global, Module } from '@nestjs/common';
import { HealthModule } from '@xai/common';
import { TelemetryModule } from '@xai/telemetry';

import { CustodyModule } from './custody/custody.module';
import { DatabaseModule } from './database/database.module';
import { KeyVaultReadiness } from './health/key-vault.readiness';
import { KekModule } from './kek/kek.module';
import { KEY_VAULT_CONFIG, loadKeyVaultConfig } from './key-vault.config';
import { KekRotationModule } from './rotation/kek-rotation.module';

/** key-vault's root module. */
@Global()
@Module({
  imports: [
    HealthModule,
    TelemetryModule,
    DatabaseModule,
    KekModule,
    CustodyModule,
    KekRotationModule,
  ],
  providers: [
    { provide: KEY_VAULT_CONFIG, useFactory: () => loadKeyVaultConfig() },
    KeyVaultReadiness,
  ],
  exports: [KEY_VAULT_CONFIG],
})
export class KeyVaultModule {}
