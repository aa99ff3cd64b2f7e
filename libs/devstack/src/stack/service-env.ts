import type { ServiceName } from './stack.types';

/**
 * Variables the launcher sets itself. They are removed from the inherited environment first,
 * so a value in the launcher's shell never reaches a service it was not meant for (a KEK
 * exported in the shell must not end up in the gateway).
 */
export const MANAGED_VARIABLES = [
  'LOG_LEVEL',
  'HOST',
  'HTTP_PORT',
  'GRPC_PORT',
  'DATABASE_URL',
  'DATABASE_POOL_MAX',
  'REDIS_URL',
  'XAI_REDIS_PREFIX',
  'XAI_KEK',
  'XAI_KEK_FILE',
  'XAI_VIRTUAL_KEY_PEPPER',
  'XAI_SERVICE_TOKEN_GATEWAY',
  'XAI_DEV_ALLOW_ANY_CALLER',
  'XAI_BOOTSTRAP_OWNER_KEY',
  'XAI_CONFIG_URL',
  'XAI_KEY_VAULT_URL',
  'XAI_AUDIT_LOG_URL',
  'XAI_ALLOW_PRIVATE_UPSTREAMS',
  'XAI_GATEWAY_PORT',
  'XAI_FROM_SOURCE',
  // One port per service: an inherited value would make every service but the first fail.
  'XAI_METRICS_PORT',
] as const;

/** Everything needed to compute one service's environment. */
export interface ServiceEnvInputs {
  service: ServiceName;
  httpPort: number;
  /** The service's own gRPC port (config, key-vault, audit-log). */
  grpcPort?: number;
  /** `host:port` of each gRPC server, for the gateway. */
  grpcUrls: { config: string; keyVault: string; auditLog: string };
  /** The service's database (config, key-vault, audit-log). */
  databaseUrl?: string;
  /** True when that database is an embedded PGlite, which serves one session at a time. */
  embeddedDatabase: boolean;
  redisUrl: string;
  redisPrefix: string;
  kek: string;
  pepper: string;
  /** `XAI_SERVICE_TOKEN_GATEWAY`: the gateway proves itself to key-vault, config, audit-log. */
  serviceToken: string;
  ownerKey: string;
  logLevel: string;
  /** The caller's own variables for this service; they win. */
  overrides?: Record<string, string>;
}

/** The inherited environment without the variables the launcher manages. */
export function inheritedEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const name of MANAGED_VARIABLES) delete env[name];

  return env;
}

/** The environment one service process starts with. */
export function serviceEnv(base: NodeJS.ProcessEnv, inputs: ServiceEnvInputs): NodeJS.ProcessEnv {
  const common = {
    LOG_LEVEL: inputs.logLevel,
    HOST: '127.0.0.1',
    HTTP_PORT: String(inputs.httpPort),
  };

  return {
    ...inheritedEnv(base),
    ...common,
    ...specificEnv(inputs),
    ...inputs.overrides,
  };
}

function specificEnv(inputs: ServiceEnvInputs): Record<string, string> {
  switch (inputs.service) {
    case 'mock-provider':
      return {};
    case 'gateway':
      return {
        ...redisEnv(inputs),
        XAI_CONFIG_URL: inputs.grpcUrls.config,
        XAI_KEY_VAULT_URL: inputs.grpcUrls.keyVault,
        XAI_AUDIT_LOG_URL: inputs.grpcUrls.auditLog,
        XAI_VIRTUAL_KEY_PEPPER: inputs.pepper,
        XAI_SERVICE_TOKEN_GATEWAY: inputs.serviceToken,
        XAI_BOOTSTRAP_OWNER_KEY: inputs.ownerKey,
        // The mock provider listens on 127.0.0.1, which the SSRF guard refuses by default.
        XAI_ALLOW_PRIVATE_UPSTREAMS: 'true',
      };
    case 'key-vault':
      return {
        ...databaseEnv(inputs),
        ...redisEnv(inputs),
        XAI_KEK: inputs.kek,
        XAI_SERVICE_TOKEN_GATEWAY: inputs.serviceToken,
        // Asked before the custody purge destroys a record config may still name.
        XAI_CONFIG_URL: inputs.grpcUrls.config,
      };
    case 'config':
    case 'audit-log':
      return {
        ...databaseEnv(inputs),
        ...redisEnv(inputs),
        XAI_SERVICE_TOKEN_GATEWAY: inputs.serviceToken,
      };
  }
}

function redisEnv(inputs: ServiceEnvInputs): Record<string, string> {
  return { REDIS_URL: inputs.redisUrl, XAI_REDIS_PREFIX: inputs.redisPrefix };
}

function databaseEnv(inputs: ServiceEnvInputs): Record<string, string> {
  const env: Record<string, string> = {
    GRPC_PORT: String(inputs.grpcPort),
    DATABASE_URL: inputs.databaseUrl ?? '',
  };
  // One connection: PGlite runs one session at a time, so a pool would only queue inside it.
  if (inputs.embeddedDatabase) env.DATABASE_POOL_MAX = '1';

  return env;
}
