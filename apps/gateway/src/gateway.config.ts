import { ConfigOf, env, loadConfig } from '@xai/common';
import { z } from 'zod';

/** Every environment variable the gateway reads; `process.env` is read nowhere else. */
export const GATEWAY_ENV = {
  LOG_LEVEL: { schema: env.logLevel() },
  HOST: { schema: env.string('127.0.0.1', 'Interface the public HTTP API listens on') },
  HTTP_PORT: { schema: env.port(8080, 'Port of the public HTTP API') },
  XAI_CONFIG_URL: { schema: env.string('127.0.0.1:50051', 'host:port of the config gRPC API') },
  XAI_KEY_VAULT_URL: {
    schema: env.string('127.0.0.1:50052', 'host:port of the key-vault gRPC API'),
  },
  XAI_AUDIT_LOG_URL: {
    schema: env.string('127.0.0.1:50053', 'host:port of the audit-log gRPC API'),
  },
  REDIS_URL: { schema: env.string('redis://127.0.0.1:6379', 'Redis for event streams') },
  XAI_REDIS_PREFIX: { schema: env.string('xai:', 'Prefix of every Redis stream name') },
  XAI_VIRTUAL_KEY_PEPPER: {
    schema: z.string().min(32).describe('Secret pepper of virtual-key hashes (>= 32 chars)'),
    sensitive: true,
  },
  XAI_BOOTSTRAP_OWNER_KEY: {
    schema: z
      .string()
      .min(32)
      .max(256)
      .optional()
      .describe('Owner virtual key to register on first start (>= 32 chars)'),
    sensitive: true,
  },
  XAI_ALLOW_PRIVATE_UPSTREAMS: {
    schema: env.bool(false, 'Allow provider URLs on loopback or private addresses'),
  },
  XAI_KEY_CACHE_TTL_SECONDS: {
    schema: z.coerce
      .number()
      .int()
      .min(1)
      .max(7200)
      .default(7200)
      .describe('How long a decrypted provider key stays in memory (at most 120 minutes)'),
  },
  XAI_AUTH_CACHE_TTL_SECONDS: {
    schema: env.int(60, 'Safety-net TTL of cached virtual keys and routing snapshots'),
  },
  XAI_BODY_LIMIT_BYTES: {
    schema: env.int(32 * 1024 * 1024, 'Largest request body accepted, in bytes'),
  },
  XAI_UPSTREAM_CONNECT_TIMEOUT_MS: {
    schema: env.int(10_000, 'Timeout to connect to a provider'),
  },
  XAI_UPSTREAM_HEADERS_TIMEOUT_MS: {
    schema: env.int(600_000, "Timeout for a provider's response headers"),
  },
  XAI_UPSTREAM_BODY_TIMEOUT_MS: {
    schema: env.int(600_000, 'Longest silence allowed between two chunks of a provider answer'),
  },
  XAI_GRPC_DEADLINE_MS: { schema: env.int(5_000, 'Deadline of calls to the internal services') },
} as const;

export type GatewayConfig = ConfigOf<typeof GATEWAY_ENV>;

/** Injection token of the validated {@link GatewayConfig}. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** Reads and validates the gateway's environment; throws naming every bad variable. */
export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(GATEWAY_ENV, source);
}
