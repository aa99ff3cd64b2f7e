import { join } from 'node:path';

import { AppLogger, initLogging, rootLogger } from '@xai/common';

import { formatBanner } from './cli/banner';
import { parseStartArgs, StartArgs, USAGE, UsageException } from './cli/cli-args';
import { DevstackConfig, loadDevstackConfig } from './devstack.config';
import { killAllChildren } from './process/child-registry';
import { startStack } from './stack/start-stack';
import type { RunningStack, StartStackOptions } from './stack/stack.types';
import { findWorkspaceRoot } from './stack/workspace';

/**
 * `npm start`: runs the whole router on this machine until Ctrl-C.
 *
 * Human-facing text (the banner, usage, fatal errors) is written with `process.stdout.write`
 * and `process.stderr.write` on purpose: this is a terminal program, and that text is meant
 * to be read by a person, not parsed. Everything else goes through AppLogger as JSON lines.
 */

/**
 * The terminal, npm and the `xai.js` wrapper may each deliver the same Ctrl-C; signals this
 * close to the first one are the same request. A later one means "stop waiting, kill now".
 */
const SAME_SIGNAL_WINDOW_MS = 1_000;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** The mock provider's usual port, kept stable so demo keys saved against it keep working. */
const MOCK_PROVIDER_PORT = 9090;

async function main(argv: string[]): Promise<void> {
  const args = parseArgsOrExit(argv);
  const config = loadDevstackConfig();
  initLogging('devstack', config.LOG_LEVEL);
  const logger = new AppLogger('DevstackCli');
  const root = findWorkspaceRoot(__dirname);
  const startup = new AbortController();
  let stack: RunningStack | undefined;
  let firstSignalAt = 0;

  const onSignal = (signal: NodeJS.Signals): void => {
    const now = Date.now();
    if (firstSignalAt !== 0) {
      if (now - firstSignalAt > SAME_SIGNAL_WINDOW_MS) forceExit(logger, signal);

      return;
    }
    firstSignalAt = now;
    logger.info('stopping every service', { signal });
    if (!stack) {
      startup.abort();

      return;
    }
    stack.stop().then(
      () => exitAfterFlush(0),
      (error: unknown) => fatal(logger, 'stopping failed', error),
    );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);

  try {
    stack = await startStack(startOptions(args, root, config, startup.signal));
  } catch (error) {
    if (startup.signal.aborted) return exitAfterFlush(0);
    fatal(logger, 'the router could not start', error);
  }
  process.stdout.write(formatBanner(stack, process.cwd()));
}

function startOptions(
  args: StartArgs,
  root: string,
  config: DevstackConfig,
  signal: AbortSignal,
): StartStackOptions {
  return {
    dataDir: args.dataDir ?? join(root, '.xai-data'),
    persistent: true,
    isolate: false,
    withMockProvider: true,
    mockProviderPort: MOCK_PROVIDER_PORT,
    gatewayPort: args.port ?? config.XAI_GATEWAY_PORT,
    logLevel: config.LOG_LEVEL,
    rootDir: root,
    signal,
    onLogLine: args.echoLogs
      ? (name: string, line: string) => process.stdout.write(`[${name}] ${line}\n`)
      : undefined,
  };
}

function parseArgsOrExit(argv: string[]): StartArgs {
  try {
    const args = parseStartArgs(argv);
    if (args.command === 'help') {
      process.stdout.write(USAGE);
      process.exit(0);
    }

    return args;
  } catch (error) {
    if (!(error instanceof UsageException)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

function forceExit(logger: AppLogger, signal: NodeJS.Signals): void {
  logger.warn('second signal: killing every service now', { signal });
  killAllChildren();
  exitAfterFlush(130);
}

function fatal(logger: AppLogger, message: string, error: unknown): never {
  const reason = error instanceof Error ? error.message : String(error);
  logger.error(message, { error: reason });
  process.stderr.write(`\n${message}:\n${reason}\n`);
  killAllChildren();
  rootLogger().flush();
  process.exit(1);
}

function exitAfterFlush(code: number): void {
  rootLogger().flush(() => process.exit(code));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
