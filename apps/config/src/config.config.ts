import { ConfigOf, SERVICE_IDENTITY_ENV, env, loadConfig } from '@xai/common';
import { METRICS_ENV } from '@xai/telemetry';

/** The config service's environment, validated once at boot. */
export const CONFIG_SERVICE_ENV = {
  LOG_LEVEL: { schema: env.logLevel() },
  HOST: { schema: env.string('127.0.0.1', 'Address the HTTP and gRPC listeners bind to') },
  HTTP_PORT: { schema: env.port(8081, 'HTTP port for /healthz and /readyz') },
  GRPC_PORT: { schema: env.port(50051, 'gRPC port of xai.config.v1.ConfigService') },
  ...METRICS_ENV,
  DATABASE_URL: {
    schema: env.required('PostgreSQL URL; tables live in the "config" schema'),
    sensitive: true,
  },
  DATABASE_POOL_MAX: { schema: env.positiveInt(10, 'Largest number of PostgreSQL connections') },
  DATABASE_RUN_MIGRATIONS: { schema: env.bool(true, 'Apply pending migrations at boot') },
  REDIS_URL: {
    schema: env.string('redis://127.0.0.1:6379', 'Redis URL for the config-change stream'),
    sensitive: true,
  },
  XAI_REDIS_PREFIX: { schema: env.string('xai:', 'Prefix of every Redis key and stream') },
  ...SERVICE_IDENTITY_ENV,
};

/** The validated configuration of the config service. */
export type ConfigServiceConfig = ConfigOf<typeof CONFIG_SERVICE_ENV>;

/** Injection token of {@link ConfigServiceConfig}. */
export const CONFIG_SERVICE_CONFIG = Symbol('ConfigServiceConfig');

/** Reads and validates the environment; throws naming every problem at once. */
export function loadConfigServiceConfig(
  environment: NodeJS.ProcessEnv = process.env,
): ConfigServiceConfig {
  return loadConfig(CONFIG_SERVICE_ENV, environment);
}
