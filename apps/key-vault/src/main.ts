import './tracing';
import 'reflect-metadata';

import { AppLogger, exitAfterLogs, initLogging, startService } from '@xai/common';
import { startMetrics } from '@xai/telemetry';

import { loadKeyVaultConfig } from './key-vault.config';
import { KeyVaultModule } from './key-vault.module';

async function main(): Promise<void> {
  const config = loadKeyVaultConfig();
  initLogging('key-vault', config.LOG_LEVEL);
  await startMetrics({ service: 'key-vault', host: config.HOST, port: config.XAI_METRICS_PORT });
  await startService({
    name: 'key-vault',
    module: KeyVaultModule,
    host: config.HOST,
    httpPort: config.HTTP_PORT,
    grpc: { service: 'keyVault', port: config.GRPC_PORT },
  });
}

main().catch((error: unknown) => {
  // The configuration itself may be what failed, so logging may not be set up yet.
  initLogging('key-vault', 'info');
  new AppLogger('key-vault').error('key-vault failed to start', {
    error: error instanceof Error ? error.message : String(error),
  });
  exitAfterLogs(1);
});
