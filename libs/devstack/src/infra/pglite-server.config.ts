import { ConfigOf, env, loadConfig } from '@xai/common';

/** The environment of the embedded PostgreSQL process (set by the launcher, not by users). */
export const PGLITE_SERVER_ENV = {
  PGLITE_DATA_DIR: { schema: env.required('Folder of the PGlite database files') },
  PGLITE_PORT: { schema: env.port(0, 'Port of the PostgreSQL wire protocol on 127.0.0.1') },
  PGLITE_MAX_CONNECTIONS: {
    schema: env.positiveInt(
      32,
      'Client connections accepted at once (queries still run one at a time)',
    ),
  },
  PGLITE_PARENT_PID: {
    schema: env.nonNegativeInt(
      0,
      'Process id of the launcher: the server stops once it is no longer the parent (0: the parent at start)',
    ),
  },
  PGLITE_TEMPLATE_DIR: {
    schema: env.optional('Folder of saved empty databases to start new ones from, faster'),
  },
  LOG_LEVEL: { schema: env.logLevel() },
} as const;

export type PgliteServerConfig = ConfigOf<typeof PGLITE_SERVER_ENV>;

/** Reads and validates the embedded PostgreSQL process's environment. */
export function loadPgliteServerConfig(
  source: NodeJS.ProcessEnv = process.env,
): PgliteServerConfig {
  return loadConfig(PGLITE_SERVER_ENV, source);
}
