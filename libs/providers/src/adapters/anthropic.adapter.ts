import { ProviderType } from '../provider-type';
import { upstreamUrl } from '../upstream-url';
import {
  ProviderAdapter,
  ProviderKeyTarget,
  UpstreamOperation,
  stringSetting,
} from './provider-adapter';

/** The Messages API version the router speaks unless a key's `Config` or the client says. */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

/**
 * Anthropic: `POST {base}/v1/messages` (a base URL with or without `/v1`), the key in
 * `x-api-key`, and `anthropic-version` (the key's `Config.anthropic_version`, else
 * 2023-06-01; a client's own header overrides it on pass-through).
 */
export class AnthropicAdapter implements ProviderAdapter {
  readonly type: ProviderType = 'anthropic';
  readonly protocol = 'anthropic' as const;

  url(key: ProviderKeyTarget, operation: UpstreamOperation): string {
    switch (operation.kind) {
      case 'chat':
        return upstreamUrl(key.baseUrl, '/messages');
      case 'count-tokens':
        return upstreamUrl(key.baseUrl, '/messages/count_tokens');
      case 'path':
        return upstreamUrl(key.baseUrl, operation.path);
    }
  }

  authHeaders(key: ProviderKeyTarget): Record<string, string> {
    return { 'x-api-key': key.secret };
  }

  defaultHeaders(key: ProviderKeyTarget): Record<string, string> {
    return {
      'anthropic-version': stringSetting(key, 'anthropic_version') ?? DEFAULT_ANTHROPIC_VERSION,
    };
  }
}
