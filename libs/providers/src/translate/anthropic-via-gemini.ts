import type { Usage } from '@xai/events';

import { AnthropicRequestSchema } from '../protocols/anthropic-messages';
import type {
  AnthropicMessageOut,
  AnthropicStreamEventOut,
} from '../protocols/anthropic-messages-output';
import type { GeminiRequestOut } from '../protocols/gemini-content';
import { parseRequest } from '../protocols/json';
import type { SseEvent } from '../sse/sse-parser';
import { OpenAiAnswerContext, anthropicToOpenAiChat } from './anthropic-to-openai.request';
import { geminiResponseToOpenAiChat } from './gemini-to-openai.response';
import { GeminiToOpenAiChatStream } from './gemini-to-openai.stream';
import { GeminiAnswerContext, openAiChatToGemini } from './openai-to-gemini.request';
import { openAiChatResponseToAnthropic } from './openai-to-anthropic.response';
import { OpenAiChatToAnthropicStream } from './openai-to-anthropic.stream';
import type { OpenAiStreamItem } from './stream-items';
import { TranslationException } from './translation.exception';

/*
 * Anthropic callers reaching Gemini providers: the Anthropic ⇄ OpenAI and OpenAI ⇄ Gemini
 * translators composed, so each mapping is written (and tested) once. The fields OpenAI lacks
 * but Gemini has (`top_k`, an exact thinking budget) go around the OpenAI step.
 */

const TARGET = 'Gemini';

/** What the answer's translation needs: the contexts of both steps. */
export interface AnthropicViaGeminiContext {
  openAi: OpenAiAnswerContext;
  gemini: GeminiAnswerContext;
}

/** A translated request: its body, and the model and mode that pick Gemini's URL. */
export interface AnthropicViaGeminiTranslation {
  body: GeminiRequestOut;
  model: string;
  stream: boolean;
  context: AnthropicViaGeminiContext;
}

/**
 * Translates an Anthropic Messages request into a Gemini `generateContent` request.
 *
 * @throws TranslationException naming the first field Gemini cannot express.
 */
export function anthropicToGemini(
  body: unknown,
  options: { countOnly?: boolean } = {},
): AnthropicViaGeminiTranslation {
  const request = parseRequest(AnthropicRequestSchema, body);
  if (request.tool_choice && 'disable_parallel_tool_use' in request.tool_choice) {
    if (request.tool_choice.disable_parallel_tool_use) {
      throw TranslationException.unsupported(
        'tool_choice.disable_parallel_tool_use',
        TARGET,
        'Gemini cannot be kept to one function call per turn',
      );
    }
  }
  const { top_k: topK, ...withoutTopK } = request;
  const openAi = anthropicToOpenAiChat(withoutTopK, {
    maxTokensField: 'max_tokens',
    targetName: TARGET,
    countOnly: options.countOnly,
  });
  const thinkingBudget =
    request.thinking?.type === 'enabled' ? request.thinking.budget_tokens : undefined;
  const gemini = openAiChatToGemini(openAi.body, { topK, thinkingBudget });

  return {
    body: gemini.body,
    model: gemini.model,
    stream: gemini.stream,
    context: { openAi: openAi.context, gemini: gemini.context },
  };
}

/**
 * Translates a Gemini `GenerateContentResponse` into an Anthropic `message`.
 *
 * @throws MalformedUpstreamResponseException when the answer cannot be read.
 */
export function geminiResponseToAnthropic(
  body: unknown,
  context: AnthropicViaGeminiContext,
): AnthropicMessageOut {
  return openAiChatResponseToAnthropic(
    geminiResponseToOpenAiChat(body, context.gemini),
    context.openAi,
  );
}

/** Turns a Gemini stream into Anthropic Messages events, through OpenAI chunks. */
export class GeminiToAnthropicStream {
  private readonly fromGemini: GeminiToOpenAiChatStream;
  private readonly toAnthropic: OpenAiChatToAnthropicStream;

  constructor(context: AnthropicViaGeminiContext) {
    this.fromGemini = new GeminiToOpenAiChatStream(context.gemini);
    this.toAnthropic = new OpenAiChatToAnthropicStream(context.openAi);
  }

  /** The usage reported so far, for metering. */
  get usage(): Usage | null {
    return this.fromGemini.usage;
  }

  /** True once the stream ended properly or with an error event. */
  get settled(): boolean {
    return this.toAnthropic.settled;
  }

  /** Translates one upstream SSE event. */
  push(event: SseEvent): AnthropicStreamEventOut[] {
    return this.relay(this.fromGemini.push(event));
  }

  /** Ends the stream when the upstream body ends. */
  end(): AnthropicStreamEventOut[] {
    return [...this.relay(this.fromGemini.end()), ...this.toAnthropic.end()];
  }

  private relay(items: OpenAiStreamItem[]): AnthropicStreamEventOut[] {
    return items.flatMap((item) => {
      switch (item.kind) {
        case 'chunk':
          return this.toAnthropic.pushChunk(item.chunk);
        case 'error':
          return this.toAnthropic.fail(item.error);
        case 'done':
          return this.toAnthropic.end();
      }
    });
  }
}
