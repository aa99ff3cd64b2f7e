import type { ApiProtocol } from '../protocols/api-protocol';
import type { ProviderAdapter, ProviderKeyTarget } from './provider-adapter';

/** Request or response headers as Node and undici give them. */
export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Client headers that never reach a provider, whatever the protocol: they would replace the
 * router's credentials (`authorization`, `x-api-key`, `api-key`, `x-goog-api-key`, cookies) or
 * its account scoping (`openai-organization`, `openai-project`, `x-goog-user-project`), or
 * they describe the client's own connection and framing, which the router re-creates
 * (`host`, `content-length`, hop-by-hop headers, `accept-encoding` so that the router can read
 * what it relays, forwarding chains), or they are the router's own (`x-request-id`, `x-xai-*`).
 */
const NEVER_FORWARDED = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'x-goog-user-project',
  'cookie',
  'openai-organization',
  'openai-project',
  'host',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'accept-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'forwarded',
  'via',
  'x-real-ip',
  'x-request-id',
]);

const NEVER_FORWARDED_PREFIXES = ['x-forwarded-', 'x-xai-', ':'];

/**
 * Any other header that looks like a credential (`ocp-apim-subscription-key`,
 * `x-amz-security-token`, `chatgpt-account-id`, `*-secret`, `set-cookie`): a caller's own
 * credentials for some other service have no business reaching the key's provider.
 * `idempotency-key`, which the SDKs send on every POST, is no credential and passes.
 */
const CREDENTIAL_LIKE =
  /(?:^|-)(?:key|token|secret|cookie|password|credentials?)(?:-|$)|^chatgpt-account-id$/;
const NOT_CREDENTIALS = new Set(['idempotency-key']);

/**
 * The client headers to pass to a provider. Only a provider of the caller's own protocol gets
 * any: there, everything passes except {@link NEVER_FORWARDED} — so `anthropic-version`,
 * `anthropic-beta`, `openai-beta`, `user-agent` and unknown headers survive. A provider reached
 * through translation gets none, since the client's headers describe the other protocol.
 */
export function forwardedRequestHeaders(
  clientHeaders: HeaderBag,
  caller: ApiProtocol,
  provider: ApiProtocol,
): Record<string, string> {
  if (caller !== provider) return {};
  const forwarded: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(clientHeaders)) {
    const name = rawName.toLowerCase();
    if (value === undefined || !isForwardable(name)) continue;
    forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
  }

  return forwarded;
}

/** Whether a (lower-case) client header may reach a provider of the caller's protocol. */
export function isForwardable(name: string): boolean {
  return (
    !NEVER_FORWARDED.has(name) &&
    !NEVER_FORWARDED_PREFIXES.some((prefix) => name.startsWith(prefix)) &&
    (NOT_CREDENTIALS.has(name) || !CREDENTIAL_LIKE.test(name))
  );
}

/**
 * All headers of an upstream call except `content-type`: the protocol's defaults, overridden
 * by what the client may pass (a pinned `anthropic-version`, say), overridden by the key's
 * credentials, which nothing overrides.
 */
export function upstreamRequestHeaders(
  adapter: ProviderAdapter,
  key: ProviderKeyTarget,
  clientHeaders: HeaderBag,
  caller: ApiProtocol,
): Record<string, string> {
  return {
    ...adapter.defaultHeaders(key),
    ...forwardedRequestHeaders(clientHeaders, caller, adapter.protocol),
    ...adapter.authHeaders(key),
  };
}

/**
 * Provider response headers worth relaying to the caller: rate limits (OpenAI's
 * `x-ratelimit-*`, Anthropic's `anthropic-ratelimit-*`), retry hints and processing times.
 * The provider's request id is relayed separately, see {@link upstreamRequestId}.
 */
const RELAYED_RESPONSE_HEADER =
  /^(x-ratelimit-|anthropic-ratelimit-|retry-after$|retry-after-ms$|openai-processing-ms$|x-envoy-upstream-service-time$)/;

/** The provider response headers to relay (see {@link RELAYED_RESPONSE_HEADER}). */
export function relayedResponseHeaders(upstreamHeaders: HeaderBag): Record<string, string> {
  const relayed: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(upstreamHeaders)) {
    const name = rawName.toLowerCase();
    if (typeof value === 'string' && RELAYED_RESPONSE_HEADER.test(name)) relayed[name] = value;
  }

  return relayed;
}

/** The provider's own request id: OpenAI's `x-request-id`, Anthropic's `request-id`, Azure's `apim-request-id`. */
export function upstreamRequestId(upstreamHeaders: HeaderBag): string | null {
  for (const name of ['x-request-id', 'request-id', 'apim-request-id']) {
    const value = upstreamHeaders[name];
    if (typeof value === 'string' && value !== '') return value;
  }

  return null;
}
