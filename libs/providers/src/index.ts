export * from './provider-key-destination';
export * from './provider-type';
export * from './providers-error-code';
export * from './scrub-secrets';
export * from './known-secret-filter';
export * from './sse/sse-parser';
export * from './ssrf/address-classifier';
export * from './ssrf/upstream-guard';
export * from './upstream-url';
export * from './usage/openai-usage';
export * from './adapters/anthropic.adapter';
export * from './adapters/azure.adapter';
export * from './adapters/gemini.adapter';
export * from './adapters/header-policy';
export * from './adapters/openai.adapter';
export * from './adapters/provider-adapter';
export * from './adapters/provider-adapters';
export * from './protocols/api-protocol';
export type {
  AnthropicErrorOut,
  AnthropicMessageOut,
  AnthropicRequestOut,
  AnthropicStreamEventOut,
} from './protocols/anthropic-messages-output';
export type { GeminiRequestOut } from './protocols/gemini-content';
export type {
  OpenAiChatChunkOut,
  OpenAiChatCompletionOut,
  OpenAiChatRequestOut,
  OpenAiErrorOut,
} from './protocols/openai-chat-output';
export * from './translate/anthropic-to-openai.request';
export { anthropicResponseToOpenAiChat } from './translate/anthropic-to-openai.response';
export * from './translate/anthropic-to-openai.stream';
export * from './translate/anthropic-via-gemini';
export { ChatStreamTranslator } from './translate/chat-stream-translator';
export * from './translate/chat-translation';
export * from './translate/error-shapes';
export { geminiResponseToOpenAiChat } from './translate/gemini-to-openai.response';
export * from './translate/gemini-to-openai.stream';
export * from './translate/openai-to-anthropic.request';
export { openAiChatResponseToAnthropic } from './translate/openai-to-anthropic.response';
export * from './translate/openai-to-anthropic.stream';
export * from './translate/openai-to-gemini.request';
export * from './translate/stream-items';
export * from './translate/translation.exception';
export * from './usage/provider-usage';
export * from './translate/count-tokens';
export * from './translate/completions-translation';
export * from './translate/embeddings-to-gemini';
export type {
  ResponseObjectOut,
  ResponsesStreamEventOut,
} from './protocols/openai-responses-output';
export type { ResponsesAnswerContext } from './translate/responses-to-chat.request';
export { responsesToOpenAiChat } from './translate/responses-to-chat.request';
export * from './translate/responses-translation';
export * from './usage/responses-stream-usage';
