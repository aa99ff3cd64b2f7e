import './tracing';
import 'reflect-metadata';

import { AppLogger, exitAfterLogs, initLogging, startService } from '@xai/common';
import { startMetrics } from '@xai/telemetry';

import { AppModule } from './app.module';
import { loadAuditLogConfig } from './audit-log.config';

async function main(): Promise<void> {
  // Logging starts before the config is read, so an invalid environment is reported too.
  initLogging('audit-log', 'info');
  const config = loadAuditLogConfig();
  initLogging('audit-log', config.LOG_LEVEL);
  await startMetrics({ service: 'audit-log', host: config.HOST, port: config.XAI_METRICS_PORT });

  await startService({
    name: 'audit-log',
    module: AppModule,
    host: config.HOST,
    httpPort: config.HTTP_PORT,
    grpc: { service: 'auditLog', port: config.GRPC_PORT },
  });
}

main().catch((error: unknown) => {
  new AppLogger('audit-log').error('audit-log service failed to start', {
    error: error instanceof Error ? error.message : String(error),
  });
  exitAfterLogs(1);
});
