/** The upstream protocols the router speaks; `openai` covers every OpenAI-compatible host. */
export type ProviderType = 'openai' | 'anthropic' | 'gemini' | 'azure';

/** Every provider type, in a stable order (for validation messages and schemas). */
export const PROVIDER_TYPES: readonly ProviderType[] = ['openai', 'anthropic', 'gemini', 'azure'];

const AZURE_OPENAI_SUFFIX = '.openai.azure.com';

/**
 * Infers a provider's protocol from its base URL's host: Anthropic's and Google's API hosts and
 * Azure OpenAI resources are recognised; anything else (DeepSeek, Groq, vLLM, Ollama, …) or a
 * URL that cannot be parsed is taken as OpenAI-compatible. An explicit `provider_type` in a
 * provider key's `Config` overrides this guess.
 */
export function inferProviderType(baseUrl: string): ProviderType {
  const host = hostOf(baseUrl);
  if (host === 'api.anthropic.com') return 'anthropic';
  if (host === 'generativelanguage.googleapis.com') return 'gemini';
  if (host.endsWith(AZURE_OPENAI_SUFFIX) && host.length > AZURE_OPENAI_SUFFIX.length) {
    return 'azure';
  }

  return 'openai';
}

/** Narrows a string (from JSON or a database column) to a {@link ProviderType}. */
export function isProviderType(value: string): value is ProviderType {
  return (PROVIDER_TYPES as readonly string[]).includes(value);
}

function hostOf(baseUrl: string): string {
  try {
    // The URL parser lowercases the host; a trailing dot names the same host, so drop it.
    return new URL(baseUrl).hostname.replace(/\.$/, '');
  } catch {
    return '';
  }
}
