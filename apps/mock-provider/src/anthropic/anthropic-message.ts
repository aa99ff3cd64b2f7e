import { randomUUID } from 'node:crypto';

import { SsePayload } from '../exchange/answer-writer';
import { MockTurn } from '../model/mock-turn';

/** Who answered, and how much of the prompt was read from the cache. */
export interface MessageMeta {
  id: string;
  model: string;
  cacheReadTokens: number;
}

/** A fresh message id in Anthropic's style. */
export function messageId(): string {
  return `msg_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

function stopReason(turn: MockTurn): { stop_reason: string; stop_sequence: string | null } {
  if (turn.kind === 'tools') return { stop_reason: 'tool_use', stop_sequence: null };
  if (turn.stop === 'length') return { stop_reason: 'max_tokens', stop_sequence: null };
  if (turn.stop === 'stop_sequence') {
    return { stop_reason: 'stop_sequence', stop_sequence: turn.stopSequence };
  }

  return { stop_reason: 'end_turn', stop_sequence: null };
}

function usage(meta: MessageMeta, turn: MockTurn, outputTokens: number) {
  return {
    input_tokens: turn.promptTokens - meta.cacheReadTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: meta.cacheReadTokens,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function contentBlocks(turn: MockTurn): Record<string, unknown>[] {
  if (turn.kind === 'tools') {
    return turn.calls.map((call) => ({
      type: 'tool_use',
      id: `toolu_${call.id}`,
      name: call.name,
      input: call.arguments,
    }));
  }

  return turn.content === '' ? [] : [{ type: 'text', text: turn.content }];
}

/** A complete Anthropic `message`. */
export function anthropicMessage(meta: MessageMeta, turn: MockTurn) {
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content: contentBlocks(turn),
    ...stopReason(turn),
    usage: usage(meta, turn, turn.completionTokens),
  };
}

const event = (data: { type: string } & Record<string, unknown>): SsePayload => ({
  event: data.type,
  data: JSON.stringify(data),
});

/**
 * The events of a streamed message, as Anthropic sends them: `message_start` (input usage),
 * then per block `content_block_start`, deltas (`text_delta` per piece, or `input_json_delta`
 * fragments of a tool's input) and `content_block_stop`, a `ping` after the first block
 * starts, `message_delta` with the stop reason and output usage, and `message_stop`.
 */
export function anthropicStreamEvents(meta: MessageMeta, turn: MockTurn): SsePayload[] {
  const start = {
    ...anthropicMessage(meta, turn),
    content: [],
    stop_reason: null,
    stop_sequence: null,
  };
  start.usage.output_tokens = 1;
  const blocks = turn.kind === 'tools' ? toolBlocks(turn) : textBlocks(turn);

  return [
    event({ type: 'message_start', message: start }),
    ...blocks.slice(0, 1),
    event({ type: 'ping' }),
    ...blocks.slice(1),
    event({
      type: 'message_delta',
      delta: stopReason(turn),
      usage: { output_tokens: turn.completionTokens },
    }),
    event({ type: 'message_stop' }),
  ];
}

function textBlocks(turn: Extract<MockTurn, { kind: 'text' }>): SsePayload[] {
  if (turn.pieces.length === 0) return [];

  return [
    event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    ...turn.pieces.map((text) =>
      event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
    ),
    event({ type: 'content_block_stop', index: 0 }),
  ];
}

function toolBlocks(turn: Extract<MockTurn, { kind: 'tools' }>): SsePayload[] {
  return turn.calls.flatMap((call, index) => {
    const half = Math.ceil(call.json.length / 2);
    const fragments = ['', call.json.slice(0, half), call.json.slice(half)];

    return [
      event({
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: `toolu_${call.id}`, name: call.name, input: {} },
      }),
      ...fragments.map((partial_json) =>
        event({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json },
        }),
      ),
      event({ type: 'content_block_stop', index }),
    ];
  });
}
