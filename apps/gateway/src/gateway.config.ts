import { ConfigOf, env, loadConfig } from '@xai/common';
import { isWellFormedVirtualKey } from '@xai/crypto';
import { METRICS_ENV } from '@xai/telemetry';
import { z } from 'zod';

/** Every environment variable the gateway reads; `process.env` is read nowhere else. */
export const GATEWAY_ENV = {
  LOG_LEVEL: { schema: env.logLevel() },
  HOST: { schema: env.string('127.0.0.1', 'Interface the public HTTP API listens on') },
  HTTP_PORT: { schema: env.port(8080, 'Port of the public HTTP API') },
  ...METRICS_ENV,
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
    // Stored virtual-key hashes depend on every byte of it, blanks around it included.
    verbatim: true,
  },
  XAI_SERVICE_TOKEN_GATEWAY: {
    schema: z
      .string()
      .min(32)
      .optional()
      .describe(
        "Token sent to key-vault, config and audit-log as gRPC metadata (the gateway's proof)",
      ),
    sensitive: true,
  },
  XAI_DEV_ALLOW_ANY_CALLER: {
    schema: env.bool(
      false,
      'Development only: start without a service token (the internal services accept any caller)',
    ),
  },
  XAI_BOOTSTRAP_OWNER_KEY: {
    // Its slot's wrapping key derives from the key alone (no pepper), so a weak one could be
    // guessed offline from a database dump and the KEK: only generated keys are accepted.
    schema: z
      .string()
      .refine(
        isWellFormedVirtualKey,
        'must be a generated virtual key (xai-…: 256 random bits and a checksum), not a chosen ' +
          'password; leave it unset to have one generated and printed once (docs/security.md)',
      )
      .optional()
      .describe('Owner virtual key to register on first start, in the generated xai- format'),
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
    schema: env.positiveInt(60, 'Safety-net TTL of cached virtual keys and routing snapshots'),
  },
  XAI_BODY_LIMIT_BYTES: {
    schema: env.positiveInt(32 * 1024 * 1024, 'Largest request body accepted, in bytes'),
  },
  XAI_UPLOAD_MEMORY_BYTES: {
    schema: env.nonNegativeInt(
      1024 * 1024,
      'Largest image or audio upload held in memory; a larger one is kept in a temporary file until its call ends (0: every upload goes to a file)',
    ),
  },
  XAI_UPLOAD_SPOOL_DIR: {
    schema: env.optional(
      "Folder under which large uploads get a private temporary folder each (default: the system's temporary folder)",
    ),
  },
  XAI_JSON_MAX_DEPTH: {
    schema: env.positiveInt(
      128,
      'Deepest nesting of objects and arrays accepted in a JSON request body',
    ),
  },
  XAI_MAX_HEADER_BYTES: {
    schema: env.positiveInt(
      32 * 1024,
      'Largest request line plus headers accepted, in bytes (431 past it)',
    ),
  },
  XAI_MAX_PARAM_LENGTH: {
    schema: env.positiveInt(
      1024,
      'Longest path parameter accepted, such as a model id (414 past it)',
    ),
  },
  XAI_UPSTREAM_CONNECT_TIMEOUT_MS: {
    schema: env.millisecondsOrZero(10_000, 'Timeout to connect to a provider (0: none)'),
  },
  XAI_UPSTREAM_HEADERS_TIMEOUT_MS: {
    schema: env.millisecondsOrZero(600_000, "Timeout for a provider's response headers (0: none)"),
  },
  XAI_UPSTREAM_BODY_TIMEOUT_MS: {
    schema: env.millisecondsOrZero(
      600_000,
      'Longest silence allowed between two chunks of a provider answer (0: no limit)',
    ),
  },
  XAI_GRPC_DEADLINE_MS: {
    schema: env.milliseconds(5_000, 'Deadline of calls to the internal services'),
  },
  XAI_AUDIT_ENABLED: {
    schema: env.bool(true, 'Emit one audit event per request (false only to measure its cost)'),
  },
  XAI_AUDIT_SPOOL_DIR: {
    schema: env.optional(
      'Folder of the on-disk audit spool used while Redis is unreachable (one per gateway process)',
    ),
  },
  XAI_AUDIT_SPOOL_MAX_BYTES: {
    schema: env.atLeast(
      64 * 1024,
      256 * 1024 * 1024,
      'Largest size of the on-disk audit spool, in bytes',
    ),
  },
  XAI_AUDIT_BUFFER_MAX_EVENTS: {
    schema: env.positiveInt(
      10_000,
      'Audit events held in memory while neither Redis nor the spool takes them; past it events of calls that used no provider key are dropped first (counted); fail-closed never drops those of calls that used one, fail-open drops the oldest',
    ),
  },

  XAI_AUDIT_LINGER_MS: {
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .max(1_000)
      .default(4)
      .describe(
        'How long an audit event may wait for others to share its write to Redis, in ms (0: the next turn of the event loop); fewer, larger writes under load',
      ),
  },
  XAI_AUDIT_FAIL_MODE: {
    schema: z
      .enum(['closed', 'open'])
      .default('closed')
      .describe(
        'When Redis is unreachable and the audit spool is full: refuse key-using requests (closed) or serve them unrecorded (open)',
      ),
  },
  XAI_UPSTREAM_TOTAL_TIMEOUT_MS: {
    schema: env.millisecondsOrZero(
      1_800_000,
      'Total deadline of one call, retries and streaming included (0: none)',
    ),
  },
  XAI_STREAM_KEEPALIVE_MS: {
    schema: env.millisecondsOrZero(
      15_000,
      'Silence after which a streaming answer gets an SSE comment to keep the client connection alive (0: never)',
    ),
  },
  XAI_KEY_FAILURE_THRESHOLD: {
    schema: env.positiveInt(
      3,
      'Transient failures (5xx, timeouts, resets) that put a provider key to sleep',
    ),
  },
  XAI_KEY_FAILURE_WINDOW_MS: {
    schema: env.milliseconds(
      60_000,
      'Window in which XAI_KEY_FAILURE_THRESHOLD failures are counted',
    ),
  },
  XAI_KEY_SLEEP_BASE_MS: {
    schema: env.milliseconds(
      5_000,
      'First sleep of a key when the provider gives no Retry-After; doubles',
    ),
  },
  XAI_KEY_SLEEP_MAX_MS: {
    schema: env.milliseconds(
      300_000,
      'Longest sleep the router picks by itself (provider hints may be longer)',
    ),
  },
  XAI_KEY_HEALTH_CACHE_MS: {
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(250)
      .describe('How long a replica reuses key health read from Redis, in ms (0: read every call)'),
  },
  XAI_KEY_HEALTH_STALE_MS: {
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(2_000)
      .describe(
        'Up to this age (ms), key health past its cache period still routes a call while it is read again in the background (0, at most the cache period, or a cache period of 0: every such call waits for the read)',
      ),
  },
  XAI_KEY_PROBES: {
    schema: env.bool(
      true,
      'Probe sleeping provider keys in the background (BullMQ) when they wake',
    ),
  },
  XAI_STORED_RESPONSE_TTL_DAYS: {
    schema: z.coerce
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(30)
      .describe(
        'How long the router remembers which provider key stored a Responses API response (OpenAI keeps them 30 days)',
      ),
  },
  XAI_CUSTODY_JANITOR_INTERVAL_SECONDS: {
    schema: z.coerce
      .number()
      .int()
      .min(0)
      .max(86_400)
      .default(3600)
      .describe(
        'How often one replica destroys ciphertexts and slots that no config record names; 0: never',
      ),
  },
  XAI_CUSTODY_JANITOR_GRACE_SECONDS: {
    schema: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(900)
      .describe('Age below which the custody janitor leaves a record alone (creates in flight)'),
  },
} as const;

export type GatewayConfig = ConfigOf<typeof GATEWAY_ENV>;

/** Injection token of the validated {@link GatewayConfig}. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** Reads and validates the gateway's environment; throws naming every bad variable. */
export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(GATEWAY_ENV, source);
}
