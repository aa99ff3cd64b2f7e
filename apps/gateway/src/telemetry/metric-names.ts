/**
 * The names of the gateway's metrics and of their attributes, in one place. The `gen_ai.*` and
 * `http.*` ones are OpenTelemetry semantic conventions; the `xai.*` ones are ours, for what
 * the conventions do not name. docs/observability.md lists them all.
 */
export const METRIC = {
  operationDuration: 'gen_ai.client.operation.duration',
  tokenUsage: 'gen_ai.client.token.usage',
  timeToFirstToken: 'gen_ai.server.time_to_first_token',
  httpDuration: 'http.server.request.duration',
  upstreamAttempts: 'xai.gateway.upstream.attempts',
  upstreamErrors: 'xai.gateway.upstream.errors',
  providerKeys: 'xai.gateway.provider_keys',
  auditBuffered: 'xai.gateway.audit.buffered',
  auditSpoolSize: 'xai.gateway.audit.spool.size',
  auditDropped: 'xai.gateway.audit.dropped',
  auditReplayed: 'xai.gateway.audit.replayed',
  configStreamConnected: 'xai.gateway.config_stream.connected',
  configStreamLag: 'xai.gateway.config_stream.lag',
} as const;

/** Attribute names. */
export const ATTR = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  tokenType: 'gen_ai.token.type',
  errorType: 'error.type',
  level: 'xai.level',
  endpoint: 'xai.endpoint',
  httpMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpStatus: 'http.response.status_code',
  attemptOutcome: 'xai.attempt.outcome',
  keyState: 'xai.key.state',
} as const;

/** Bucket bounds the GenAI conventions advise, in seconds and in tokens. */
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
export const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
/** Latency of the router's own HTTP answers (health probes to long streams), in seconds. */
export const HTTP_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
];
