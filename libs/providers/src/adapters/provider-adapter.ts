import type { ApiProtocol } from '../protocols/api-protocol';
import type { ProviderType } from '../provider-type';

/** The provider key an upstream call uses: where, with which secret, with which settings. */
export interface ProviderKeyTarget {
  /** The provider key's base URL (`Provider`). */
  baseUrl: string;
  /** The provider key's secret in plaintext; it only ever goes into {@link ProviderAdapter.authHeaders}. */
  secret: string;
  /** The provider key's `Config` object, such as Azure's `api_version` and `deployments`. */
  settings?: Readonly<Record<string, unknown>>;
}

/** What the gateway is about to call on the provider. */
export type UpstreamOperation =
  /** The provider's own chat endpoint (chat completions, Messages, generateContent). */
  | { kind: 'chat'; model: string; stream: boolean }
  /** Token counting (Anthropic `messages/count_tokens`, Gemini `countTokens`). */
  | { kind: 'count-tokens'; model: string }
  /**
   * Another path of the provider's own API, written after the version as the provider's
   * documentation does (`/embeddings`, `/models`, `/images/generations`). `model` lets Azure
   * pick the deployment.
   */
  | { kind: 'path'; path: string; model?: string };

/**
 * How to reach one provider type: its native protocol, its URLs and its headers. Adapters are
 * stateless; everything about a key comes in with the call.
 */
export interface ProviderAdapter {
  readonly type: ProviderType;
  /** The protocol the provider speaks; a caller of another protocol needs translation. */
  readonly protocol: ApiProtocol;
  /**
   * The full URL of an operation.
   *
   * @throws TranslationException when the provider type has no such operation.
   */
  url(key: ProviderKeyTarget, operation: UpstreamOperation): string;
  /** The headers that carry the key; they always win over anything a client sent. */
  authHeaders(key: ProviderKeyTarget): Record<string, string>;
  /** Headers the protocol needs (such as `anthropic-version`) that a client may override. */
  defaultHeaders(key: ProviderKeyTarget): Record<string, string>;
}

/** A string setting of a key's `Config`, if set and non-empty. */
export function stringSetting(key: ProviderKeyTarget, name: string): string | undefined {
  const value = key.settings?.[name];

  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
