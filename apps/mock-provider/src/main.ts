import { AppLogger, initLogging, rootLogger } from '@xai/common';

import { buildMockProviderApp } from './mock-provider.app';
import { loadMockProviderConfig } from './mock-provider.config';

const SERVICE = 'mock-provider';
const SHUTDOWN_GRACE_MS = 5_000;

async function main(): Promise<void> {
  const config = loadMockProviderConfig();
  initLogging(SERVICE, config.LOG_LEVEL);
  const logger = new AppLogger('MockProvider');
  const app = buildMockProviderApp(config);

  const address = await app.listen({ host: config.HOST, port: config.HTTP_PORT });
  logger.info('mock provider listening', { address });

  const close = (signal: string): void => {
    logger.info('shutting down', { signal });
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    app.close().then(
      () => rootLogger().flush(),
      (error: unknown) => logger.error('shutdown failed', { error: String(error) }),
    );
  };
  process.once('SIGTERM', () => close('SIGTERM'));
  process.once('SIGINT', () => close('SIGINT'));
}

main().catch((error: unknown) => {
  // The configuration may be what failed, so log at a level that is certain to print.
  initLogging(SERVICE, 'error');
  new AppLogger('MockProvider').error('mock provider failed to start', {
    error: error instanceof Error ? error.message : String(error),
  });
  process.exitCode = 1;
});
