import { mkdir } from 'node:fs/promises';

import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { AppLogger, initLogging, rootLogger } from '@xai/common';

import { loadPgliteServerConfig } from './pglite-server.config';
import { useSessionQueue } from './pglite-session-queue';
import { PgliteTemplate } from './pglite-template';

/**
 * One embedded PostgreSQL (PGlite, compiled to WebAssembly) served on a local port, run by the
 * launcher as a process of its own: PGlite executes on the thread that hosts it, so a separate
 * process per database keeps three databases, the launcher and a test runner from queueing
 * behind one another. PGlite runs one session at a time; the socket server lets several
 * connections take turns, a whole protocol exchange at a time (PgliteSessionQueue), and a
 * connection inside a transaction holds the others until it ends.
 */
/** The parent when this process started, for a launcher that does not pass its id. */
const launcher = process.ppid;

async function main(): Promise<void> {
  const config = loadPgliteServerConfig();
  initLogging('pglite', config.LOG_LEVEL);
  const logger = new AppLogger('PgliteServer');

  await mkdir(config.PGLITE_DATA_DIR, { recursive: true });
  const db = await openDatabase(config.PGLITE_DATA_DIR, config.PGLITE_TEMPLATE_DIR, logger);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: config.PGLITE_PORT,
    maxConnections: config.PGLITE_MAX_CONNECTIONS,
  });
  useSessionQueue(server, db);
  await server.start();
  logger.info('embedded PostgreSQL listening', {
    address: server.getServerConn(),
    dataDir: config.PGLITE_DATA_DIR,
  });

  const shutdown = once(async (reason: string) => {
    logger.info('embedded PostgreSQL stopping', { reason });
    await server.stop();
    await db.close();
    rootLogger().flush(() => process.exit(0));
  });
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  watchParent(config.PGLITE_PARENT_PID || launcher, () => void shutdown('launcher gone'));
}

/** Opens the database in `dataDir`, creating it from the saved template when there is one. */
async function openDatabase(
  dataDir: string,
  templateDir: string | undefined,
  logger: AppLogger,
): Promise<PGlite> {
  if (!templateDir || !PgliteTemplate.isFresh(dataDir)) return PGlite.create({ dataDir });

  const template = new PgliteTemplate(templateDir);
  const saved = await template.load();
  const db = await PGlite.create({ dataDir, loadDataDir: saved });
  if (!saved) {
    await template.save(db).catch((error: unknown) =>
      logger.warn('could not save the PGlite template; the next start will be slower', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  return db;
}

/**
 * Shuts down when the launcher disappears without stopping us (killed with SIGKILL): the
 * process is then re-parented, which changes `process.ppid`. The launcher's id comes from the
 * launcher itself, so one that dies while this server is still starting is noticed too.
 */
function watchParent(launcherPid: number, onGone: () => void): void {
  setInterval(() => {
    if (process.ppid !== launcherPid) onGone();
  }, 1_000).unref();
}

function once<T extends unknown[]>(
  fn: (...args: T) => Promise<void>,
): (...args: T) => Promise<void> {
  let running: Promise<void> | undefined;

  return (...args: T) => (running ??= fn(...args));
}

main().catch((error: unknown) => {
  // Logging may not be set up yet (a configuration error); set it up to report this one.
  initLogging('pglite', 'info');
  new AppLogger('PgliteServer').error('embedded PostgreSQL failed', {
    error: error instanceof Error ? error.message : String(error),
  });
  rootLogger().flush(() => process.exit(1));
});
