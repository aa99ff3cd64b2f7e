import type { Usage } from '@xai/events';

import {
  AnthropicStreamEvent,
  AnthropicStreamEventSchema,
  AnthropicUsage,
} from '../protocols/anthropic-messages';
import { parseJsonPayload, parseUpstream } from '../protocols/json';
import type {
  OpenAiChatChunkOut,
  OpenAiChunkDeltaOut,
  OpenAiFinishReason,
} from '../protocols/openai-chat-output';
import type { SseEvent } from '../sse/sse-parser';
import { finishReasonOf } from './anthropic-to-openai.response';
import { openAiErrorBody, summariseUpstreamError } from './error-shapes';
import type { AnthropicAnswerContext } from './openai-to-anthropic.request';
import type { OpenAiStreamItem } from './stream-items';
import { nowInSeconds } from './translation-helpers';
import { anthropicMeteredUsage, anthropicUsageToOpenAi } from './usage-mapping';

/** How an Anthropic content block shows up in the OpenAI stream. */
type BlockRole =
  { kind: 'text' } | { kind: 'tool'; toolIndex: number } | { kind: 'json' } | { kind: 'hidden' };

/**
 * Turns an Anthropic Messages event stream into OpenAI `chat.completion.chunk`s, one upstream
 * event at a time, for an OpenAI caller served by an Anthropic provider.
 *
 * `message_start` gives the role chunk; text deltas become content deltas; each `tool_use`
 * block becomes a tool call with its own `index` (0, 1, … in the order they start, so parallel
 * calls stay apart), its `input_json_delta`s the call's argument deltas; `message_delta` gives
 * the finish reason; `message_stop` the usage chunk (only when the caller asked for it) and
 * `[DONE]`. An `error` event becomes OpenAI's in-stream error. Thinking blocks are not shown.
 */
export class AnthropicToOpenAiChatStream {
  private id = '';
  private model: string;
  private readonly created = nowInSeconds();
  private readonly blocks = new Map<number, BlockRole>();
  private nextToolIndex = 0;
  private answeredInJson = false;
  private upstreamUsage: AnthropicUsage | null = null;
  private state: 'open' | 'finished' | 'failed' = 'open';

  constructor(private readonly context: AnthropicAnswerContext) {
    this.model = context.model;
  }

  /** The usage reported so far, for metering (whether or not the caller asked for it). */
  get usage(): Usage | null {
    return this.upstreamUsage ? anthropicMeteredUsage(this.upstreamUsage) : null;
  }

  /** True once the stream ended properly (`message_stop`) or with an error event. */
  get settled(): boolean {
    return this.state !== 'open';
  }

  /**
   * Translates one upstream SSE event.
   *
   * @throws MalformedUpstreamResponseException when the event is not a Messages API event.
   */
  push(event: SseEvent): OpenAiStreamItem[] {
    if (this.state !== 'open') return [];
    const parsed = parseUpstream(AnthropicStreamEventSchema, parseJsonPayload(event.data));

    return this.translate(parsed);
  }

  /** Ends the stream: an upstream that stopped before `message_stop` becomes an error event. */
  end(): OpenAiStreamItem[] {
    if (this.state !== 'open') return [];
    this.state = 'failed';
    const error = openAiErrorBody('The provider ended the stream early.', 'server_error');

    return [{ kind: 'error', error }];
  }

  private translate(event: AnthropicStreamEvent): OpenAiStreamItem[] {
    switch (event.type) {
      case 'message_start':
        return this.onMessageStart(event);
      case 'content_block_start':
        return this.onBlockStart(event);
      case 'content_block_delta':
        return this.onBlockDelta(event);
      case 'message_delta':
        return this.onMessageDelta(event);
      case 'message_stop':
        return this.onMessageStop();
      case 'error':
        return this.onError(event);
      default:
        // ping, content_block_stop and event types added later carry nothing to translate.
        return [];
    }
  }

  private onMessageStart(event: AnthropicStreamEvent): OpenAiStreamItem[] {
    this.id = event.message?.id ?? this.id;
    this.model = event.message?.model ?? this.model;
    this.mergeUsage(event.message?.usage);

    return [this.chunk({ role: 'assistant', content: '' })];
  }

  private onBlockStart(event: AnthropicStreamEvent): OpenAiStreamItem[] {
    const block = event.content_block;
    const index = event.index ?? 0;
    if (block?.type === 'text') {
      this.blocks.set(index, { kind: 'text' });

      return block.text ? [this.chunk({ content: block.text })] : [];
    }
    if (block?.type !== 'tool_use') {
      this.blocks.set(index, { kind: 'hidden' });

      return [];
    }
    if (block.name === this.context.jsonToolName) {
      this.blocks.set(index, { kind: 'json' });
      this.answeredInJson = true;

      return [];
    }
    const toolIndex = this.nextToolIndex++;
    this.blocks.set(index, { kind: 'tool', toolIndex });
    const call = { index: toolIndex, id: block.id ?? '', type: 'function' as const };

    return [
      this.chunk({
        tool_calls: [{ ...call, function: { name: block.name ?? '', arguments: '' } }],
      }),
    ];
  }

  private onBlockDelta(event: AnthropicStreamEvent): OpenAiStreamItem[] {
    const role = this.blocks.get(event.index ?? 0);
    const delta = event.delta;
    if (!role || !delta) return [];
    if (role.kind === 'text' && delta.type === 'text_delta' && delta.text) {
      return [this.chunk({ content: delta.text })];
    }
    if (delta.type !== 'input_json_delta' || !delta.partial_json) return [];
    if (role.kind === 'json') return [this.chunk({ content: delta.partial_json })];
    if (role.kind !== 'tool') return [];
    const args = { index: role.toolIndex, function: { arguments: delta.partial_json } };

    return [this.chunk({ tool_calls: [args] })];
  }

  private onMessageDelta(event: AnthropicStreamEvent): OpenAiStreamItem[] {
    this.mergeUsage(event.usage);
    const stopReason = event.delta?.stop_reason;
    if (!stopReason) return [];

    return [this.chunk({}, finishReasonOf(stopReason, this.answeredInJson))];
  }

  private onMessageStop(): OpenAiStreamItem[] {
    this.state = 'finished';
    const items: OpenAiStreamItem[] = [];
    if (this.context.includeUsage && this.upstreamUsage) {
      const chunk = this.baseChunk([]);
      chunk.usage = anthropicUsageToOpenAi(this.upstreamUsage);
      items.push({ kind: 'chunk', chunk });
    }
    items.push({ kind: 'done' });

    return items;
  }

  private onError(event: AnthropicStreamEvent): OpenAiStreamItem[] {
    this.state = 'failed';
    const summary = summariseUpstreamError('anthropic', 500, event);
    const type =
      summary.code === 'invalid_request_error' ? 'invalid_request_error' : 'server_error';

    return [{ kind: 'error', error: openAiErrorBody(summary.message, type, summary.code) }];
  }

  /** Usage fields are cumulative totals that appear when they apply: overwrite, never add. */
  private mergeUsage(usage: AnthropicUsage | undefined): void {
    if (!usage) return;
    const merged: AnthropicUsage = { ...(this.upstreamUsage ?? {}) };
    for (const [key, value] of Object.entries(usage)) {
      if (value !== null && value !== undefined) merged[key] = value;
    }
    this.upstreamUsage = merged;
  }

  private chunk(
    delta: OpenAiChunkDeltaOut,
    finishReason: OpenAiFinishReason | null = null,
  ): OpenAiStreamItem {
    const chunk = this.baseChunk([
      { index: 0, delta, logprobs: null, finish_reason: finishReason },
    ]);

    return { kind: 'chunk', chunk };
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
