import { ProviderType } from '../provider-type';
import { TranslationException } from '../translate/translation.exception';
import { upstreamUrl } from '../upstream-url';
import {
  ProviderAdapter,
  ProviderKeyTarget,
  UpstreamOperation,
  stringSetting,
} from './provider-adapter';

/**
 * OpenAI and every OpenAI-compatible host (DeepSeek, Mistral, Groq, xAI, vLLM, Ollama, …): any
 * base URL, with or without a trailing slash or version segment (see `upstreamUrl`); a Bearer
 * key; `organization` and `project` from the key's `Config` become OpenAI's scoping headers.
 */
export class OpenAiAdapter implements ProviderAdapter {
  readonly type: ProviderType = 'openai';
  readonly protocol = 'openai' as const;

  url(key: ProviderKeyTarget, operation: UpstreamOperation): string {
    switch (operation.kind) {
      case 'chat':
        return upstreamUrl(key.baseUrl, '/chat/completions');
      case 'path':
        return upstreamUrl(key.baseUrl, operation.path);
      case 'count-tokens':
        throw TranslationException.unsupported(
          'count_tokens',
          'OpenAI-compatible',
          'OpenAI has no token counting endpoint',
        );
    }
  }

  authHeaders(key: ProviderKeyTarget): Record<string, string> {
    const headers: Record<string, string> = { authorization: `Bearer ${key.secret}` };
    const organization = stringSetting(key, 'organization');
    const project = stringSetting(key, 'project');
    if (organization) headers['openai-organization'] = organization;
    if (project) headers['openai-project'] = project;

    return headers;
  }

  defaultHeaders(): Record<string, string> {
    return {};
  }

  /**
   * Which field should carry an output limit translated from another protocol: OpenAI's own
   * API wants `max_completion_tokens` (its reasoning models refuse `max_tokens`); other hosts
   * are safest with `max_tokens`. A key's `Config` may say `max_tokens_field`.
   */
  maxTokensField(key: ProviderKeyTarget): 'max_tokens' | 'max_completion_tokens' {
    const configured = stringSetting(key, 'max_tokens_field');
    if (configured === 'max_tokens' || configured === 'max_completion_tokens') return configured;

    return hostOf(key.baseUrl) === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens';
  }
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname.replace(/\.$/, '');
  } catch {
    return '';
  }
}
