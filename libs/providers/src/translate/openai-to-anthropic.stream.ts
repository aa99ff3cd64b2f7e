import type { Usage } from '@xai/events';

import type { AnthropicStreamEventOut } from '../protocols/anthropic-messages-output';
import { isJsonObject, parseJsonPayload, parseUpstream } from '../protocols/json';
import { OpenAiChatChunkSchema } from '../protocols/openai-chat';
import type { OpenAiChunkFields, OpenAiUsageFields } from '../protocols/openai-chat-output';
import type { SseEvent } from '../sse/sse-parser';
import type { OpenAiAnswerContext } from './anthropic-to-openai.request';
import { anthropicErrorBody, summariseUpstreamError } from './error-shapes';
import { NO_USAGE, anthropicToolUseId } from './openai-to-anthropic.response';
import { openAiFinishToAnthropic } from './stop-reasons';
import { generatedId } from './translation-helpers';
import { openAiMeteredUsage, openAiUsageToAnthropic } from './usage-mapping';

type OpenBlock =
  { index: number; kind: 'text' } | { index: number; kind: 'tool'; toolIndex: number };
type ChunkDelta = OpenAiChunkFields['choices'][number]['delta'];
type ChunkToolCall = NonNullable<ChunkDelta['tool_calls']>[number];

/**
 * Turns an OpenAI chat completion stream into Anthropic Messages events, for an Anthropic
 * caller served by an OpenAI-type provider (or, through {@link pushChunk}, by a Gemini one).
 *
 * The first chunk opens the message (`message_start`); content deltas stream in a text block;
 * each tool call (by its OpenAI `index`) gets its own `tool_use` block whose arguments arrive
 * as `input_json_delta`s; blocks are numbered 0, 1, … in order and each is closed before the
 * next opens, as Anthropic's streams are. The finish reason and the usage chunk make the
 * closing `message_delta`, then `message_stop`. OpenAI-compatible hosts stream parallel tool
 * calls one after another; one that went back to an already closed call could not be
 * expressed in Anthropic's block order and ends the stream with an error event.
 */
export class OpenAiChatToAnthropicStream {
  private started = false;
  private openBlock: OpenBlock | null = null;
  private nextBlockIndex = 0;
  private readonly toolStates = new Map<number, 'open' | 'closed'>();
  private finishReason: string | null = null;
  private refused = false;
  private upstreamUsage: OpenAiUsageFields | null = null;
  private state: 'open' | 'finished' | 'failed' = 'open';

  constructor(private readonly context: OpenAiAnswerContext) {}

  /** The usage reported so far, for metering. */
  get usage(): Usage | null {
    return this.upstreamUsage ? openAiMeteredUsage(this.upstreamUsage) : null;
  }

  /** True once the stream ended properly or with an error event. */
  get settled(): boolean {
    return this.state !== 'open';
  }

  /**
   * Translates one upstream SSE event (a chunk, an error object, or `[DONE]`).
   *
   * @throws MalformedUpstreamResponseException when the event is not a chunk.
   */
  push(event: SseEvent): AnthropicStreamEventOut[] {
    if (this.state !== 'open') return [];
    if (event.data.trim() === '[DONE]') return this.finish();
    const payload = parseJsonPayload(event.data);
    if (isJsonObject(payload) && payload.error !== undefined) return this.fail(payload);

    return this.pushChunk(parseUpstream(OpenAiChatChunkSchema, payload));
  }

  /** Translates one parsed chunk. */
  pushChunk(chunk: OpenAiChunkFields): AnthropicStreamEventOut[] {
    if (this.state !== 'open') return [];
    const events = this.start(chunk);
    if (chunk.usage) this.upstreamUsage = chunk.usage;
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) return events;
    const delta = choice.delta;
    if (delta.refusal) this.refused = true;
    const text = (delta.content ?? '') + (delta.refusal ?? '');
    if (text !== '') events.push(...this.text(text));
    for (const call of delta.tool_calls ?? []) {
      events.push(...this.toolCall(call));
      if (this.state !== 'open') return events;
    }
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      events.push(...this.closeBlock());
    }

    return events;
  }

  /** Ends the stream after the last upstream event (also when `[DONE]` never came). */
  end(): AnthropicStreamEventOut[] {
    return this.state === 'open' ? this.finish() : [];
  }

  /** Ends the stream with an upstream error (an error object inside the stream). */
  fail(upstreamError: unknown): AnthropicStreamEventOut[] {
    if (this.state !== 'open') return [];
    this.state = 'failed';
    const summary = summariseUpstreamError('openai', 500, upstreamError);

    return [anthropicErrorBody('api_error', summary.message)];
  }

  private finish(): AnthropicStreamEventOut[] {
    if (!this.started || this.finishReason === null) {
      return this.fail('The provider ended the stream early.');
    }
    this.state = 'finished';
    const stopReason = this.refused ? 'refusal' : openAiFinishToAnthropic(this.finishReason);

    return [
      ...this.closeBlock(),
      {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: this.upstreamUsage ? openAiUsageToAnthropic(this.upstreamUsage) : NO_USAGE,
      },
      { type: 'message_stop' },
    ];
  }

  private start(chunk: OpenAiChunkFields): AnthropicStreamEventOut[] {
    if (this.started) return [];
    this.started = true;
    const message = {
      id: chunk.id || generatedId('msg_'),
      type: 'message' as const,
      role: 'assistant' as const,
      model: chunk.model || this.context.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: NO_USAGE,
    };

    return [{ type: 'message_start', message }];
  }

  private text(text: string): AnthropicStreamEventOut[] {
    const events: AnthropicStreamEventOut[] = [];
    if (this.openBlock?.kind !== 'text') {
      events.push(...this.closeBlock());
      const index = this.nextBlockIndex++;
      this.openBlock = { index, kind: 'text' };
      events.push({
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
    }
    events.push({
      type: 'content_block_delta',
      index: this.openBlock?.index ?? 0,
      delta: { type: 'text_delta', text },
    });

    return events;
  }

  private toolCall(call: ChunkToolCall): AnthropicStreamEventOut[] {
    const state = this.toolStates.get(call.index);
    if (state === 'closed') {
      return this.fail('The provider interleaved the arguments of parallel tool calls.');
    }
    const events: AnthropicStreamEventOut[] = [];
    if (state === undefined) {
      events.push(...this.closeBlock());
      const index = this.nextBlockIndex++;
      this.openBlock = { index, kind: 'tool', toolIndex: call.index };
      this.toolStates.set(call.index, 'open');
      const block = {
        type: 'tool_use' as const,
        id: anthropicToolUseId(call.id),
        name: call.function?.name ?? '',
        input: {},
      };
      events.push({ type: 'content_block_start', index, content_block: block });
    }
    const partial = call.function?.arguments;
    if (partial && this.openBlock) {
      const delta = { type: 'input_json_delta' as const, partial_json: partial };
      events.push({ type: 'content_block_delta', index: this.openBlock.index, delta });
    }

    return events;
  }

  private closeBlock(): AnthropicStreamEventOut[] {
    const block = this.openBlock;
    if (!block) return [];
    this.openBlock = null;
    if (block.kind === 'tool') this.toolStates.set(block.toolIndex, 'closed');

    return [{ type: 'content_block_stop', index: block.index }];
  }
}
