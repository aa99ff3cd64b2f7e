import { ProviderType } from '../provider-type';
import type { ChatTranslationOptions } from '../translate/chat-translation';
import { AnthropicAdapter } from './anthropic.adapter';
import { AzureAdapter } from './azure.adapter';
import { GeminiAdapter } from './gemini.adapter';
import { OpenAiAdapter } from './openai.adapter';
import { ProviderAdapter, ProviderKeyTarget } from './provider-adapter';

const OPENAI = new OpenAiAdapter();

const ADAPTERS: Readonly<Record<ProviderType, ProviderAdapter>> = {
  openai: OPENAI,
  anthropic: new AnthropicAdapter(),
  gemini: new GeminiAdapter(),
  azure: new AzureAdapter(),
};

/** The adapter of a provider type (one stateless instance per type). */
export function providerAdapter(type: ProviderType): ProviderAdapter {
  return ADAPTERS[type];
}

/**
 * The translation options a provider key implies: which OpenAI field carries an output
 * limit (see {@link OpenAiAdapter.maxTokensField}; Azure hosts OpenAI's reasoning models too).
 */
export function chatTranslationOptionsFor(
  type: ProviderType,
  key: ProviderKeyTarget,
): ChatTranslationOptions {
  if (type === 'openai') return { maxTokensField: OPENAI.maxTokensField(key) };
  if (type === 'azure') return { maxTokensField: 'max_completion_tokens' };

  return {};
}
