import { AppLogger, initLogging } from '@xai/common';

import { startBareProxy } from './bare-proxy';

/**
 * Runs the bare proxy as its own process (so its RSS and CPU are measured apart from the load
 * generator): `node bare-proxy.main.js <port> <upstream origin>`. Arguments, not environment
 * variables, because this is a benchmark fixture with no configuration of its own.
 */
async function main([port, upstream]: string[]): Promise<void> {
  initLogging('bare-proxy', 'info');
  const server = await startBareProxy({ port: Number(port), host: '127.0.0.1', upstream });
  new AppLogger('BareProxy').info('bare proxy listening', { port: Number(port), upstream });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  new AppLogger('BareProxy').error('bare proxy failed to start', {
    error: error instanceof Error ? error.message : String(error),
  });
  process.exitCode = 1;
});
