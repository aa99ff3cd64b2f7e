import { ProviderType } from '../provider-type';

/**
 * The wire protocols the router speaks: OpenAI's chat completions (also spoken by Azure and
 * every OpenAI-compatible host), Anthropic's Messages API and Gemini's `generateContent`.
 */
export type ApiProtocol = 'openai' | 'anthropic' | 'gemini';

/** The protocols callers use on the router's ingress (`/v1/chat/completions`, `/v1/messages`). */
export type CallerProtocol = Extract<ApiProtocol, 'openai' | 'anthropic'>;

const NATIVE_PROTOCOL: Record<ProviderType, ApiProtocol> = {
  openai: 'openai',
  azure: 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini',
};

/** The protocol a provider type speaks natively. */
export function nativeProtocolOf(type: ProviderType): ApiProtocol {
  return NATIVE_PROTOCOL[type];
}
