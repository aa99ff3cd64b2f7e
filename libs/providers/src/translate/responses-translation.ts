import type { Usage } from '@xai/events';

import type { ApiProtocol } from '../protocols/api-protocol';
import type { OpenAiErrorOut } from '../protocols/openai-chat-output';
import type {
  ResponseObjectOut,
  ResponsesStreamEventOut,
} from '../protocols/openai-responses-output';
import type { SseEvent, SseParserOptions } from '../sse/sse-parser';
import { anthropicResponseToOpenAiChat } from './anthropic-to-openai.response';
import { AnthropicToOpenAiChatStream } from './anthropic-to-openai.stream';
import type { ChatTranslationOptions } from './chat-translation';
import {
  ChatStreamTranslator,
  EncodedStreamTransformer,
  StreamTransformer,
} from './chat-stream-translator';
import { chatCompletionToResponse } from './chat-to-responses.response';
import { ChatToResponsesStream } from './chat-to-responses.stream';
import { translateErrorBody } from './error-shapes';
import { geminiResponseToOpenAiChat } from './gemini-to-openai.response';
import { GeminiToOpenAiChatStream } from './gemini-to-openai.stream';
import { AnthropicAnswerContext, openAiChatToAnthropic } from './openai-to-anthropic.request';
import { GeminiAnswerContext, openAiChatToGemini } from './openai-to-gemini.request';
import { ResponsesAnswerContext, responsesToOpenAiChat } from './responses-to-chat.request';
import type { OpenAiStreamItem } from './stream-items';
import { TranslationException } from './translation.exception';

/*
 * OpenAI Responses callers (`/v1/responses`) reaching Anthropic and Gemini providers: the
 * Responses ⇄ chat step composed with the chat ⇄ Anthropic and chat ⇄ Gemini translators, so
 * each mapping is written (and tested) once. OpenAI-type providers get the Responses body
 * untranslated.
 */

/** Which translation a Responses request went through, with what its answer needs. */
export type ResponsesTranslationContext =
  | { to: 'anthropic'; chat: AnthropicAnswerContext; responses: ResponsesAnswerContext }
  | { to: 'gemini'; chat: GeminiAnswerContext; responses: ResponsesAnswerContext };

/** A Responses request translated for a provider of another protocol. */
export interface TranslatedResponsesRequest {
  body: object;
  /** The model to call (Gemini takes it in the URL). */
  model: string;
  stream: boolean;
  context: ResponsesTranslationContext;
}

const TARGET_NAME = { anthropic: 'Anthropic', gemini: 'Gemini' } as const;

/**
 * Translates a `POST /v1/responses` body for an Anthropic or Gemini provider. The model in
 * the body is sent as it is: map it before translating.
 *
 * @throws TranslationException (→ 400) naming the first field the provider cannot express —
 *   built-in tools, stored state (`previous_response_id`, `store: true`), uploaded files — or
 *   that is malformed; also for an OpenAI-type provider, which gets the body untranslated.
 */
export function translateResponsesRequest(
  to: ApiProtocol,
  body: unknown,
  options: ChatTranslationOptions = {},
): TranslatedResponsesRequest {
  if (to === 'openai') {
    throw new TranslationException(
      '(protocol)',
      'A Responses request to an OpenAI-type provider passes through untranslated.',
    );
  }
  const { body: chat, context: responses } = responsesToOpenAiChat(body, TARGET_NAME[to]);
  if (to === 'anthropic') {
    const { body: out, context } = openAiChatToAnthropic(chat, options);

    return {
      body: out,
      model: out.model,
      stream: out.stream === true,
      context: { to, chat: context, responses },
    };
  }
  const { body: out, model, stream, context } = openAiChatToGemini(chat);

  return { body: out, model, stream, context: { to, chat: context, responses } };
}

/**
 * Translates a provider's non-streamed 2xx answer into a Responses `response`.
 *
 * @throws MalformedUpstreamResponseException (→ 502) when the answer cannot be read.
 */
export function translateResponsesResponse(
  context: ResponsesTranslationContext,
  body: unknown,
): ResponseObjectOut {
  const chat =
    context.to === 'anthropic'
      ? anthropicResponseToOpenAiChat(body, context.chat)
      : geminiResponseToOpenAiChat(body, context.chat);

  return chatCompletionToResponse(chat, context.responses);
}

/** Translates a provider's error answer into OpenAI's error shape, scrubbed of secrets. */
export function translateResponsesError(
  context: Pick<ResponsesTranslationContext, 'to'>,
  status: number,
  body: unknown,
): OpenAiErrorOut {
  return translateErrorBody(context.to, 'openai', status, body) as OpenAiErrorOut;
}

/** A translator for a streamed 2xx answer, writing Responses stream events. */
export function createResponsesStreamTranslator(
  context: ResponsesTranslationContext,
  parserOptions: SseParserOptions = {},
): ChatStreamTranslator {
  const upstream =
    context.to === 'anthropic'
      ? new AnthropicToOpenAiChatStream(context.chat)
      : new GeminiToOpenAiChatStream(context.chat);

  return new ChatStreamTranslator(
    'openai',
    new ResponsesViaChatStream(upstream, context.responses),
    parserOptions,
  );
}

/** One Responses stream event as SSE text: `event: <type>` and `data: <json>`. */
export function encodeResponsesStreamEvent(event: ResponsesStreamEventOut): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A provider's stream turned into chat chunks, then into Responses events. */
class ResponsesViaChatStream implements EncodedStreamTransformer {
  private readonly writer: ChatToResponsesStream;

  constructor(
    private readonly upstream: StreamTransformer<OpenAiStreamItem>,
    context: ResponsesAnswerContext,
  ) {
    this.writer = new ChatToResponsesStream(context);
  }

  get usage(): Usage | null {
    return this.upstream.usage;
  }

  get settled(): boolean {
    return this.writer.settled;
  }

  push(event: SseEvent): string {
    return encode(this.relay(this.upstream.push(event)));
  }

  end(): string {
    return encode([...this.relay(this.upstream.end()), ...this.writer.end()]);
  }

  failure(message: string): string {
    return encode(this.writer.fail(message));
  }

  private relay(items: OpenAiStreamItem[]): ResponsesStreamEventOut[] {
    return items.flatMap((item) => {
      switch (item.kind) {
        case 'chunk':
          return this.writer.pushChunk(item.chunk);
        case 'error':
          return this.writer.fail(item.error.error.message);
        case 'done':
          return this.writer.end();
      }
    });
  }
}

function encode(events: ResponsesStreamEventOut[]): string {
  return events.map(encodeResponsesStreamEvent).join('');
}
