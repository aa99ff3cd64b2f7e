import { ConfigOf, env, loadConfig } from '@xai/common';

/** The environment variables the local launcher reads; `process.env` is read nowhere else. */
export const DEVSTACK_ENV = {
  DATABASE_URL: {
    schema: env.optional('PostgreSQL server to use instead of the embedded PGlite'),
  },
  REDIS_URL: { schema: env.optional('Redis server to use instead of a spawned redis-server') },
  XAI_GATEWAY_PORT: { schema: env.port(8080, 'Port of the gateway started by `npm start`') },
  XAI_FROM_SOURCE: {
    schema: env.bool(false, 'Run the services from their TypeScript sources instead of dist/'),
  },
  LOG_LEVEL: { schema: env.logLevel() },
} as const;

export type DevstackConfig = ConfigOf<typeof DEVSTACK_ENV>;

/** Reads and validates the launcher's environment. */
export function loadDevstackConfig(source: NodeJS.ProcessEnv = process.env): DevstackConfig {
  return loadConfig(DEVSTACK_ENV, source);
}
