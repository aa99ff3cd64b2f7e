import { ProviderType } from '../provider-type';
import {
  ProviderAdapter,
  ProviderKeyTarget,
  UpstreamOperation,
  stringSetting,
} from './provider-adapter';

const VERSIONED_PATH = /\/v\d+(?:alpha|beta)?\d*$/;
const DEFAULT_API_VERSION = 'v1beta';

/**
 * Gemini (Google AI): `{base}/v1beta/models/{model}:generateContent`, or
 * `:streamGenerateContent?alt=sse` for streams (SSE instead of a JSON array), and
 * `:countTokens`. The base URL may carry its version (`/v1beta`, `/v1`); otherwise the key's
 * `Config.api_version` or `v1beta` is used. The key goes in `x-goog-api-key`, never in the URL.
 */
export class GeminiAdapter implements ProviderAdapter {
  readonly type: ProviderType = 'gemini';
  readonly protocol = 'gemini' as const;

  url(key: ProviderKeyTarget, operation: UpstreamOperation): string {
    const url = new URL(key.baseUrl);
    const base = versionedPath(url.pathname.replace(/\/+$/, ''), key);
    switch (operation.kind) {
      case 'chat': {
        const method = operation.stream ? 'streamGenerateContent' : 'generateContent';
        url.pathname = `${base}/${modelPath(operation.model)}:${method}`;
        if (operation.stream) url.searchParams.set('alt', 'sse');
        break;
      }
      case 'count-tokens':
        url.pathname = `${base}/${modelPath(operation.model)}:countTokens`;
        break;
      case 'path':
        url.pathname = `${base}${operation.path.startsWith('/') ? '' : '/'}${operation.path}`;
        break;
    }

    return url.toString();
  }

  authHeaders(key: ProviderKeyTarget): Record<string, string> {
    return { 'x-goog-api-key': key.secret };
  }

  defaultHeaders(): Record<string, string> {
    return {};
  }
}

function versionedPath(basePath: string, key: ProviderKeyTarget): string {
  if (VERSIONED_PATH.test(basePath)) return basePath;

  return `${basePath}/${stringSetting(key, 'api_version') ?? DEFAULT_API_VERSION}`;
}

/** `models/<id>` (or a tuned model's own name), each segment escaped. */
function modelPath(model: string): string {
  const named = /^(models|tunedModels)\//.test(model) ? model : `models/${model}`;

  return named.split('/').map(encodeURIComponent).join('/');
}
