import { ConfigOf, SERVICE_IDENTITY_ENV, env, loadConfig } from '@xai/common';
import { METRICS_ENV } from '@xai/telemetry';
import { z } from 'zod';

/** Every environment variable key-vault reads; `process.env` is read nowhere else. */
export const KEY_VAULT_ENV = {
  LOG_LEVEL: { schema: env.logLevel() },
  HOST: { schema: env.string('127.0.0.1', 'Interface the HTTP and gRPC listeners bind to') },
  HTTP_PORT: { schema: env.port(8082, 'Port of /healthz and /readyz') },
  GRPC_PORT: { schema: env.port(50052, 'Port of the key-vault gRPC API') },
  ...METRICS_ENV,
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
  REDIS_URL: {
    schema: env.string('redis://127.0.0.1:6379', 'Redis for key-use events and the KEK job'),
  },
  XAI_CONFIG_URL: {
    schema: env.string(
      '127.0.0.1:50051',
      "host:port of config's gRPC API, asked before an orphaned ciphertext or slot is purged",
    ),
  },
  XAI_REDIS_PREFIX: { schema: env.string('xai:', 'Prefix of every Redis key and stream name') },
  XAI_KEY_USE_SPOOL_DIR: {
    schema: env.optional(
      'Folder of the on-disk spool of key-use events while Redis is unreachable (one per process)',
    ),
  },
  XAI_KEY_USE_SPOOL_MAX_BYTES: {
    schema: env.atLeast(
      64 * 1024,
      64 * 1024 * 1024,
      'Largest size of the on-disk key-use spool, in bytes',
    ),
  },
  ...SERVICE_IDENTITY_ENV,
  XAI_KEK_ROTATION_BATCH_SIZE: {
    schema: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(200)
      .describe('Slots a KEK rotation rewraps per transaction'),
  },
  XAI_KEK_ROTATION_WORKER: {
    schema: env.bool(
      true,
      'Run KEK rotation jobs in this replica; false leaves them to the other replicas',
    ),
  },
  XAI_KEK_ROTATION_BATCH_PAUSE_MS: {
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(0)
      .describe('Pause between two KEK rotation batches, to spare the database'),
  },
  XAI_SLOT_SWEEP_INTERVAL_SECONDS: {
    schema: z.coerce
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(30)
      .describe('How often expired credential slots are destroyed'),
  },
} as const;

export type KeyVaultConfig = ConfigOf<typeof KEY_VAULT_ENV>;

/** Injection token of the validated {@link KeyVaultConfig}. */
export const KEY_VAULT_CONFIG = Symbol('KEY_VAULT_CONFIG');

/** Reads and validates key-vault's environment; throws naming every bad variable. */
export function loadKeyVaultConfig(source: NodeJS.ProcessEnv = process.env): KeyVaultConfig {
  return loadConfig(KEY_VAULT_ENV, source);
}
