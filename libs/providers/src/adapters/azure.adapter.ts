import { isJsonObject } from '../protocols/json';
import { ProviderType } from '../provider-type';
import { TranslationException } from '../translate/translation.exception';
import {
  ProviderAdapter,
  ProviderKeyTarget,
  UpstreamOperation,
  stringSetting,
} from './provider-adapter';

/** The GA data-plane version used when a key's `Config` names none. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/**
 * Azure OpenAI: OpenAI's protocol on a resource URL (`https://<resource>.openai.azure.com`,
 * with or without `/openai`), the key in `api-key`. By default calls go to deployments:
 * `/openai/deployments/{deployment}/chat/completions?api-version=…`, where the deployment is
 * `Config.deployments[model]`, else `Config.deployment`, else the model name, and the version
 * is `Config.api_version` (2024-10-21 by default). With `api_version: "v1"` the newer v1 API
 * is used instead (`/openai/v1/…`, model in the body, no version parameter). The Responses API
 * (`/responses…`) came with 2025-03-01-preview, and Azure documents it on the v1 API: a dated
 * version older than that (the default included) sends Responses calls to the v1 API too.
 */
export class AzureAdapter implements ProviderAdapter {
  readonly type: ProviderType = 'azure';
  readonly protocol = 'openai' as const;

  url(key: ProviderKeyTarget, operation: UpstreamOperation): string {
    if (operation.kind === 'count-tokens') {
      throw TranslationException.unsupported(
        'count_tokens',
        'Azure OpenAI',
        'Azure has no token counting endpoint',
      );
    }
    const url = new URL(key.baseUrl);
    const resource = url.pathname.replace(/\/+$/, '').replace(/\/openai$/, '');
    const path = operation.kind === 'chat' ? '/chat/completions' : normalisePath(operation.path);
    const version = stringSetting(key, 'api_version') ?? DEFAULT_AZURE_API_VERSION;
    if (version === 'v1' || (isResponsesPath(path) && predatesResponses(version))) {
      url.pathname = `${resource}/openai/v1${path}`;

      return url.toString();
    }
    const model = operation.model;
    url.pathname =
      model === undefined
        ? `${resource}/openai${path}`
        : `${resource}/openai/deployments/${encodeURIComponent(deploymentFor(key, model))}${path}`;
    url.searchParams.set('api-version', version);

    return url.toString();
  }

  authHeaders(key: ProviderKeyTarget): Record<string, string> {
    return { 'api-key': key.secret };
  }

  defaultHeaders(): Record<string, string> {
    return {};
  }
}

/** The first dated version with the Responses API; Azure's v1 API has it too. */
const FIRST_RESPONSES_VERSION = '2025-03-01-preview';

function isResponsesPath(path: string): boolean {
  return path === '/responses' || path.startsWith('/responses/');
}

/** Whether `version` is a dated one (`YYYY-MM-DD`, maybe `-preview`) older than the Responses API. */
function predatesResponses(version: string): boolean {
  const date = /^(\d{4}-\d{2}-\d{2})(?:-preview)?$/.exec(version)?.[1];

  return date !== undefined && date < FIRST_RESPONSES_VERSION.slice(0, 10);
}

function normalisePath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

function deploymentFor(key: ProviderKeyTarget, model: string): string {
  const deployments = key.settings?.deployments;
  if (isJsonObject(deployments)) {
    const named = deployments[model];
    if (typeof named === 'string' && named !== '') return named;
  }

  return stringSetting(key, 'deployment') ?? model;
}
