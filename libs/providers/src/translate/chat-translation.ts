import type { AnthropicErrorOut } from '../protocols/anthropic-messages-output';
import type { ApiProtocol, CallerProtocol } from '../protocols/api-protocol';
import type { OpenAiErrorOut } from '../protocols/openai-chat-output';
import type { SseParserOptions } from '../sse/sse-parser';
import { anthropicResponseToOpenAiChat } from './anthropic-to-openai.response';
import { AnthropicToOpenAiChatStream } from './anthropic-to-openai.stream';
import {
  AnthropicViaGeminiContext,
  GeminiToAnthropicStream,
  anthropicToGemini,
  geminiResponseToAnthropic,
} from './anthropic-via-gemini';
import { OpenAiAnswerContext, anthropicToOpenAiChat } from './anthropic-to-openai.request';
import { ChatStreamTranslator, encodedTransformer } from './chat-stream-translator';
import { translateErrorBody } from './error-shapes';
import { geminiResponseToOpenAiChat } from './gemini-to-openai.response';
import { GeminiToOpenAiChatStream } from './gemini-to-openai.stream';
import { AnthropicAnswerContext, openAiChatToAnthropic } from './openai-to-anthropic.request';
import { openAiChatResponseToAnthropic } from './openai-to-anthropic.response';
import { OpenAiChatToAnthropicStream } from './openai-to-anthropic.stream';
import { GeminiAnswerContext, openAiChatToGemini } from './openai-to-gemini.request';
import { encodeAnthropicStreamEvent, encodeOpenAiStreamItem } from './stream-items';
import { TranslationException } from './translation.exception';

/** Which translation a request went through, with what its answer's translation needs. */
export type ChatTranslationContext =
  | { from: 'openai'; to: 'anthropic'; answer: AnthropicAnswerContext }
  | { from: 'openai'; to: 'gemini'; answer: GeminiAnswerContext }
  | { from: 'anthropic'; to: 'openai'; answer: OpenAiAnswerContext }
  | { from: 'anthropic'; to: 'gemini'; answer: AnthropicViaGeminiContext };

/** A chat request translated for a provider of another protocol. */
export interface TranslatedChatRequest {
  /** The JSON body to send upstream. */
  body: object;
  /** The model to call (Gemini takes it in the URL, the others in the body). */
  model: string;
  /** Whether the caller asked for a stream (the upstream call streams too). */
  stream: boolean;
  /** Hand this to {@link translateChatResponse} or {@link createChatStreamTranslator}. */
  context: ChatTranslationContext;
}

/** Tuning for {@link translateChatRequest}. */
export interface ChatTranslationOptions {
  /** OpenAI → Anthropic: `max_tokens` when the caller set none (Anthropic requires one). */
  defaultMaxTokens?: number;
  /** Anthropic → OpenAI: the field that carries `max_tokens` (see the OpenAI adapter). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

/**
 * Translates a chat request from the caller's protocol (`/v1/chat/completions` or
 * `/v1/messages` body) to the provider's. The model in the body is sent as it is: map it
 * before translating.
 *
 * @throws TranslationException (→ 400 in the caller's shape) naming the first field the
 *   provider's protocol cannot express, or that is malformed; also when both protocols are
 *   the same, which is a pass-through and not a translation.
 */
export function translateChatRequest(
  from: CallerProtocol,
  to: ApiProtocol,
  body: unknown,
  options: ChatTranslationOptions = {},
): TranslatedChatRequest {
  if (from === 'openai' && to === 'anthropic') {
    const { body: out, context } = openAiChatToAnthropic(body, options);

    return {
      body: out,
      model: out.model,
      stream: out.stream === true,
      context: { from, to, answer: context },
    };
  }
  if (from === 'openai' && to === 'gemini') {
    const { body: out, model, stream, context } = openAiChatToGemini(body);

    return { body: out, model, stream, context: { from, to, answer: context } };
  }
  if (from === 'anthropic' && to === 'openai') {
    const maxTokensField = options.maxTokensField;
    const { body: out, context } = anthropicToOpenAiChat(body, { maxTokensField });

    return {
      body: out,
      model: out.model,
      stream: out.stream === true,
      context: { from, to, answer: context },
    };
  }
  if (from === 'anthropic' && to === 'gemini') {
    const { body: out, model, stream, context } = anthropicToGemini(body);

    return { body: out, model, stream, context: { from, to, answer: context } };
  }
  throw new TranslationException(
    '(protocol)',
    `A ${from} request to a ${to} provider passes through untranslated.`,
  );
}

/**
 * Translates a provider's non-streamed 2xx answer into the caller's protocol.
 *
 * @throws MalformedUpstreamResponseException (→ 502) when the answer cannot be read.
 */
export function translateChatResponse(context: ChatTranslationContext, body: unknown): object {
  switch (context.to) {
    case 'anthropic':
      return anthropicResponseToOpenAiChat(body, context.answer);
    case 'gemini':
      return context.from === 'openai'
        ? geminiResponseToOpenAiChat(body, context.answer)
        : geminiResponseToAnthropic(body, context.answer);
    case 'openai':
      return openAiChatResponseToAnthropic(body, context.answer);
  }
}

/** A translator for a streamed 2xx answer; see {@link ChatStreamTranslator}. */
export function createChatStreamTranslator(
  context: ChatTranslationContext,
  parserOptions: SseParserOptions = {},
): ChatStreamTranslator {
  const transformer =
    context.to === 'anthropic'
      ? encodedTransformer(new AnthropicToOpenAiChatStream(context.answer), encodeOpenAiStreamItem)
      : context.to === 'openai'
        ? encodedTransformer(
            new OpenAiChatToAnthropicStream(context.answer),
            encodeAnthropicStreamEvent,
          )
        : context.from === 'openai'
          ? encodedTransformer(new GeminiToOpenAiChatStream(context.answer), encodeOpenAiStreamItem)
          : encodedTransformer(
              new GeminiToAnthropicStream(context.answer),
              encodeAnthropicStreamEvent,
            );

  return new ChatStreamTranslator(context.from, transformer, parserOptions);
}

/**
 * Translates a provider's error answer (non-2xx; the parsed JSON body, or its text) into the
 * caller's protocol, with the message scrubbed of anything that looks like a key.
 */
export function translateChatError(
  context: Pick<ChatTranslationContext, 'from' | 'to'>,
  status: number,
  body: unknown,
): OpenAiErrorOut | AnthropicErrorOut {
  return translateErrorBody(context.to, context.from, status, body);
}
