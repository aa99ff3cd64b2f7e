import { ConfigOf, env, loadConfig } from '@xai/common';
import { z } from 'zod';

/** Every environment variable key-vault reads; `process.env` is read nowhere else. */
export const KEY_VAULT_ENV = {
  LOG_LEVEL: { schema: env.logLevel() },
  HOST: { schema: env.string('127.0.0.1', 'Interface the HTTP and gRPC listeners bind to') },
  HTTP_PORT: { schema: env.port(8082, 'Port of /healthz and /readyz') },
  GRPC_PORT: { schema: env.port(50052, 'Port of the key-vault gRPC API') },
  DATABASE_URL: {
    schema: env.required('PostgreSQL URL; key-vault keeps its tables in the key_vault schema'),
    sensitive: true,
  },
  DATABASE_POOL_MAX: {
    schema: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .describe('Largest number of PostgreSQL connections'),
  },
  DATABASE_RUN_MIGRATIONS: {
    schema: env.bool(true, 'Apply pending migrations at boot (the Helm chart runs them as a hook)'),
  },
  XAI_KEK: {
    schema: env.optional(
      'The KEK key ring: one base64 32-byte key (version 1), or "1:<base64>,2:<base64>"',
    ),
    sensitive: true,
  },
  XAI_KEK_FILE: {
    schema: env.optional('Path of a file holding the XAI_KEK text, such as a mounted Secret'),
  },
} as const;

export type KeyVaultConfig = ConfigOf<typeof KEY_VAULT_ENV>;

/** Injection token of the validated {@link KeyVaultConfig}. */
export const KEY_VAULT_CONFIG = Symbol('KEY_VAULT_CONFIG');

/** Reads and validates key-vault's environment; throws naming every bad variable. */
export function loadKeyVaultConfig(source: NodeJS.ProcessEnv = process.env): KeyVaultConfig {
  return loadConfig(KEY_VAULT_ENV, source);
}
