import './tracing';
import 'reflect-metadata';

import { AppLogger, exitAfterLogs, initLogging, startService } from '@xai/common';
import { startMetrics } from '@xai/telemetry';

import { AppModule } from './app.module';
import { loadConfigServiceConfig } from './config.config';

async function main(): Promise<void> {
  // Logging starts before the config is read, so an invalid environment is reported too.
  initLogging('config', 'info');
  const config = loadConfigServiceConfig();
  initLogging('config', config.LOG_LEVEL);
  await startMetrics({ service: 'config', host: config.HOST, port: config.XAI_METRICS_PORT });

  await startService({
    name: 'config',
    module: AppModule,
    host: config.HOST,
    httpPort: config.HTTP_PORT,
    grpc: { service: 'config', port: config.GRPC_PORT },
  });
}

main().catch((error: unknown) => {
  new AppLogger('config').error('config service failed to start', {
    error: error instanceof Error ? error.message : String(error),
  });
  exitAfterLogs(1);
});
