import { hostname } from 'node:os';

import { ConfigOf, MAX_TIMER_MS, SERVICE_IDENTITY_ENV, env, loadConfig } from '@xai/common';
import { METRICS_ENV } from '@xai/telemetry';
import { z } from 'zod';

/** The audit-log service's environment, validated once at boot. */
export const AUDIT_LOG_ENV = {
  LOG_LEVEL: { schema: env.logLevel() },
  HOST: { schema: env.string('127.0.0.1', 'Address the HTTP and gRPC listeners bind to') },
  HTTP_PORT: { schema: env.port(8083, 'HTTP port for /healthz and /readyz') },
  GRPC_PORT: { schema: env.port(50053, 'gRPC port of xai.auditlog.v1.AuditLogService') },
  ...METRICS_ENV,
  DATABASE_URL: {
    schema: env.required('PostgreSQL URL; tables live in the "audit_log" schema'),
    sensitive: true,
  },
  DATABASE_POOL_MAX: { schema: env.positiveInt(10, 'Largest number of PostgreSQL connections') },
  DATABASE_RUN_MIGRATIONS: { schema: env.bool(true, 'Apply pending migrations at boot') },
  REDIS_URL: {
    schema: env.string('redis://127.0.0.1:6379', 'Redis URL of the audit stream'),
    sensitive: true,
  },
  XAI_REDIS_PREFIX: { schema: env.string('xai:', 'Prefix of every Redis key and stream') },
  ...SERVICE_IDENTITY_ENV,
  AUDIT_CONSUMER_NAME: {
    schema: env.string(
      `${hostname()}-${process.pid}`,
      'This process’s name in the audit consumer group; unique among live replicas',
    ),
  },
  AUDIT_RECLAIM_IDLE_MS: {
    schema: z.coerce
      .number()
      .int()
      .min(100)
      .max(MAX_TIMER_MS)
      .default(30_000)
      .describe('Audit entries pending this long with a dead replica are taken over (ms)'),
  },
  AUDIT_BATCH_SIZE: {
    schema: z.coerce
      .number()
      .int()
      .min(1)
      .max(5_000)
      .default(500)
      .describe('Most audit entries read, and stored in one transaction, at a time'),
  },
  AUDIT_GATHER_MS: {
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .max(1_000)
      .default(100)
      .describe(
        'After a read of fewer than AUDIT_BATCH_SIZE audit entries, wait this long before the next (ms): larger batches, less CPU per event',
      ),
  },
  AUDIT_JOBS_ENABLED: {
    schema: env.bool(true, 'Run the rollup and retention jobs (BullMQ) in this process'),
  },
  AUDIT_ROLLUP_INTERVAL_MS: {
    schema: z.coerce
      .number()
      .int()
      .min(100)
      .max(MAX_TIMER_MS)
      .default(60_000)
      .describe('How often new request events are added to the usage rollups (ms)'),
  },
  AUDIT_RETENTION_DAYS: {
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .max(36_500)
      .default(400)
      .describe(
        'Raw audit entries older than this are removed (days, at most 36500); 0 keeps them forever',
      ),
  },
  AUDIT_RETENTION_INTERVAL_MS: {
    schema: z.coerce
      .number()
      .int()
      .min(1_000)
      .max(MAX_TIMER_MS)
      .default(3_600_000)
      .describe('How often the retention job runs (ms)'),
  },
};

/** The validated configuration of the audit-log service. */
export type AuditLogConfig = ConfigOf<typeof AUDIT_LOG_ENV>;

/** Injection token of {@link AuditLogConfig}. */
export const AUDIT_LOG_CONFIG = Symbol('AuditLogConfig');

/** Reads and validates the environment; throws naming every problem at once. */
export function loadAuditLogConfig(environment: NodeJS.ProcessEnv = process.env): AuditLogConfig {
  return loadConfig(AUDIT_LOG_ENV, environment);
}
