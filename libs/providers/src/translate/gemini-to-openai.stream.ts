import type { Usage } from '@xai/events';

import {
  GeminiCandidate,
  GeminiResponseSchema,
  GeminiUsageMetadata,
} from '../protocols/gemini-content';
import { isJsonObject, parseJsonPayload, parseUpstream } from '../protocols/json';
import type {
  OpenAiChatChunkOut,
  OpenAiChunkDeltaOut,
  OpenAiFinishReason,
} from '../protocols/openai-chat-output';
import type { SseEvent } from '../sse/sse-parser';
import { openAiErrorBody, summariseUpstreamError } from './error-shapes';
import { candidateContent, geminiUsageOrZero } from './gemini-to-openai.response';
import type { GeminiAnswerContext } from './openai-to-gemini.request';
import { geminiFinishToOpenAi } from './stop-reasons';
import type { OpenAiStreamItem } from './stream-items';
import { generatedId, nowInSeconds } from './translation-helpers';
import { geminiMeteredUsage } from './usage-mapping';

/** Where one candidate (an OpenAI choice) stands in the stream. */
interface ChoiceState {
  nextToolIndex: number;
  calledFunctions: boolean;
  finished: boolean;
}

/**
 * Turns a Gemini `streamGenerateContent?alt=sse` stream (each event a whole
 * GenerateContentResponse holding the next piece) into OpenAI `chat.completion.chunk`s.
 *
 * Each candidate is a choice: its first event gives the role chunk, text parts content
 * deltas, each function call one tool call delta with the next `index` and all its arguments
 * (Gemini sends calls whole), and `finishReason` the finish chunk. Gemini has no end marker,
 * so {@link end} — called when the upstream body ends — adds the usage chunk (if the caller
 * asked) and `[DONE]`, or an error if no candidate had finished.
 */
export class GeminiToOpenAiChatStream {
  private id = '';
  private model: string;
  private readonly created = nowInSeconds();
  private readonly choices = new Map<number, ChoiceState>();
  private usageMetadata: GeminiUsageMetadata | null = null;
  private state: 'open' | 'finished' | 'failed' = 'open';

  constructor(private readonly context: GeminiAnswerContext) {
    this.model = context.model;
  }

  /** The usage reported so far, for metering. */
  get usage(): Usage | null {
    return this.usageMetadata ? geminiMeteredUsage(this.usageMetadata) : null;
  }

  /** True once the stream ended (with {@link end}) or failed. */
  get settled(): boolean {
    return this.state !== 'open';
  }

  /**
   * Translates one upstream SSE event.
   *
   * @throws MalformedUpstreamResponseException when the event is not a GenerateContentResponse.
   */
  push(event: SseEvent): OpenAiStreamItem[] {
    if (this.state !== 'open') return [];
    const payload = parseJsonPayload(event.data);
    if (isJsonObject(payload) && payload.error !== undefined) return this.fail(payload);
    const response = parseUpstream(GeminiResponseSchema, payload);
    this.id ||= response.responseId ?? generatedId('chatcmpl-');
    this.model = response.modelVersion ?? this.model;
    if (response.usageMetadata) this.usageMetadata = response.usageMetadata;
    if (response.candidates.length === 0 && response.promptFeedback?.blockReason) {
      return this.blocked();
    }

    return response.candidates.flatMap((candidate) => this.candidate(candidate));
  }

  /** Ends the stream when the upstream body ends. */
  end(): OpenAiStreamItem[] {
    if (this.state !== 'open') return [];
    const states = [...this.choices.values()];
    if (states.length === 0 || !states.some((choice) => choice.finished)) {
      return this.fail('The provider ended the stream early.');
    }
    this.state = 'finished';
    const items: OpenAiStreamItem[] = [];
    if (this.context.includeUsage) {
      const chunk = this.baseChunk([]);
      chunk.usage = geminiUsageOrZero(this.usageMetadata ?? undefined);
      items.push({ kind: 'chunk', chunk });
    }
    items.push({ kind: 'done' });

    return items;
  }

  private candidate(candidate: GeminiCandidate): OpenAiStreamItem[] {
    const index = candidate.index;
    const items: OpenAiStreamItem[] = [];
    let choice = this.choices.get(index);
    if (!choice) {
      choice = { nextToolIndex: 0, calledFunctions: false, finished: false };
      this.choices.set(index, choice);
      items.push(this.chunk(index, { role: 'assistant', content: '' }));
    }
    const { text, toolCalls } = candidateContent(candidate);
    if (text !== '') items.push(this.chunk(index, { content: text }));
    for (const call of toolCalls) {
      choice.calledFunctions = true;
      items.push(this.chunk(index, { tool_calls: [{ index: choice.nextToolIndex++, ...call }] }));
    }
    if (candidate.finishReason && !choice.finished) {
      choice.finished = true;
      items.push(
        this.chunk(index, {}, geminiFinishToOpenAi(candidate.finishReason, choice.calledFunctions)),
      );
    }

    return items;
  }

  private blocked(): OpenAiStreamItem[] {
    this.choices.set(0, { nextToolIndex: 0, calledFunctions: false, finished: true });

    return [this.chunk(0, { role: 'assistant', content: '' }), this.chunk(0, {}, 'content_filter')];
  }

  private fail(upstreamError: unknown): OpenAiStreamItem[] {
    this.state = 'failed';
    const summary = summariseUpstreamError('gemini', 500, upstreamError);

    return [
      { kind: 'error', error: openAiErrorBody(summary.message, 'server_error', summary.code) },
    ];
  }

  private chunk(
    index: number,
    delta: OpenAiChunkDeltaOut,
    finishReason: OpenAiFinishReason | null = null,
  ): OpenAiStreamItem {
    return {
      kind: 'chunk',
      chunk: this.baseChunk([{ index, delta, logprobs: null, finish_reason: finishReason }]),
    };
  }

  private baseChunk(choices: OpenAiChatChunkOut['choices']): OpenAiChatChunkOut {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices,
      ...(this.context.includeUsage ? { usage: null } : {}),
    };
  }
}
