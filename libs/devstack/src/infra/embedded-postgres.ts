import { join } from 'node:path';

import { Client } from 'pg';

import { SupervisedProcess } from '../process/supervised-process';
import { findWorkspaceRoot, ownScriptCommand } from '../stack/workspace';

/** Where and how to run one embedded PostgreSQL. */
export interface EmbeddedPostgresOptions {
  /** The service it belongs to; the process is named `pglite-<service>`. */
  service: string;
  /** Folder of its database files. */
  dataDir: string;
  port: number;
  logFile?: string;
  onLogLine?: (name: string, line: string) => void;
  readyTimeoutMs: number;
  logLevel: string;
}

/** The URL of an embedded PostgreSQL on `port`. PGlite has one database and no passwords. */
export function embeddedPostgresUrl(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

/** True when the PostgreSQL at `url` answers a query. */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');

    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * An embedded PostgreSQL (PGlite behind its socket server) in a supervised process of its own,
 * one per service: PGlite runs one session at a time, so sharing one between services would
 * make each wait on the others' transactions.
 */
export function embeddedPostgres(options: EmbeddedPostgresOptions): SupervisedProcess {
  const { command, args } = ownScriptCommand(__dirname, 'pglite-server.main');
  const url = embeddedPostgresUrl(options.port);

  return new SupervisedProcess({
    name: `pglite-${options.service}`,
    command,
    args,
    // This library's own workspace: from there SWC finds the tsconfig that maps `@xai/*`.
    cwd: findWorkspaceRoot(__dirname),
    env: {
      ...process.env,
      PGLITE_DATA_DIR: options.dataDir,
      PGLITE_PORT: String(options.port),
      PGLITE_PARENT_PID: String(process.pid),
      PGLITE_TEMPLATE_DIR: join(
        findWorkspaceRoot(__dirname),
        'node_modules',
        '.cache',
        'xai-devstack',
      ),
      LOG_LEVEL: options.logLevel,
    },
    isReady: () => postgresAnswers(url),
    readyTimeoutMs: options.readyTimeoutMs,
    logFile: options.logFile,
    onLogLine: options.onLogLine,
  });
}
