import type { OpenAiChatChunkOut } from '../protocols/openai-chat-output';
import type { SseEvent } from '../sse/sse-parser';
import { AnthropicToOpenAiChatStream } from './anthropic-to-openai.stream';
import type { AnthropicAnswerContext } from './openai-to-anthropic.request';
import type { OpenAiStreamItem } from './stream-items';

const context: AnthropicAnswerContext = {
  model: 'claude-x',
  includeUsage: false,
  jsonToolName: null,
};

const event = (data: Record<string, unknown>): SseEvent => ({
  event: String(data.type),
  data: JSON.stringify(data),
});

/** A tool-calling answer shaped like Anthropic's recorded streams: text, then two calls. */
const PARALLEL_TOOLS_STREAM: SseEvent[] = [
  event({
    type: 'message_start',
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x-2025',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 50,
        cache_read_input_tokens: 30,
        cache_creation_input_tokens: 0,
        output_tokens: 1,
      },
    },
  }),
  event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  event({ type: 'ping' }),
  event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking' } }),
  event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' now.' } }),
  event({ type: 'content_block_stop', index: 0 }),
  event({
    type: 'content_block_start',
    index: 1,
    content_block: { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} },
  }),
  event({
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: '' },
  }),
  event({
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: '{"city": ' },
  }),
  event({
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: '"Paris"}' },
  }),
  event({ type: 'content_block_stop', index: 1 }),
  event({
    type: 'content_block_start',
    index: 2,
    content_block: { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: {} },
  }),
  event({
    type: 'content_block_delta',
    index: 2,
    delta: { type: 'input_json_delta', partial_json: '{}' },
  }),
  event({ type: 'content_block_stop', index: 2 }),
  event({
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 42 },
  }),
  event({ type: 'message_stop' }),
];

function run(
  events: SseEvent[],
  ctx = context,
): { items: OpenAiStreamItem[]; stream: AnthropicToOpenAiChatStream } {
  const stream = new AnthropicToOpenAiChatStream(ctx);
  const items = events.flatMap((item) => stream.push(item));
  items.push(...stream.end());

  return { items, stream };
}

const chunks = (items: OpenAiStreamItem[]): OpenAiChatChunkOut[] =>
  items.flatMap((item) => (item.kind === 'chunk' ? [item.chunk] : []));

describe(AnthropicToOpenAiChatStream.name, () => {
  it('streams the role, the text, two tool calls with distinct indexes, the finish, then [DONE]', () => {
    const { items } = run(PARALLEL_TOOLS_STREAM);

    const deltas = chunks(items).map((chunk) => chunk.choices[0]?.delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Checking' },
      { content: ' now.' },
      {
        tool_calls: [
          {
            index: 0,
            id: 'toolu_a',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"city": ' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      {
        tool_calls: [
          {
            index: 1,
            id: 'toolu_b',
            type: 'function',
            function: { name: 'get_time', arguments: '' },
          },
        ],
      },
      { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
      {},
    ]);
    expect(chunks(items).at(-1)?.choices[0].finish_reason).toBe('tool_calls');
    expect(items.at(-1)).toEqual({ kind: 'done' });
  });

  it('uses the upstream id and model on every chunk, and leaves usage out unless asked', () => {
    const { items } = run(PARALLEL_TOOLS_STREAM);

    expect(
      chunks(items).every((chunk) => chunk.id === 'msg_1' && chunk.model === 'claude-x-2025'),
    ).toBe(true);
    expect(chunks(items).every((chunk) => !('usage' in chunk))).toBe(true);
  });

  it('ends with a usage chunk counting cache reads when the caller asked', () => {
    const { items } = run(PARALLEL_TOOLS_STREAM, { ...context, includeUsage: true });

    const last = chunks(items).at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({
      prompt_tokens: 80,
      completion_tokens: 42,
      total_tokens: 122,
      prompt_tokens_details: { cached_tokens: 30 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(
      chunks(items)
        .slice(0, -1)
        .every((chunk) => chunk.usage === null),
    ).toBe(true);
  });

  it('reports usage for metering even when the caller did not ask', () => {
    const { stream } = run(PARALLEL_TOOLS_STREAM);

    expect(stream.usage).toEqual({
      promptTokens: 80,
      completionTokens: 42,
      totalTokens: 122,
      cachedInputTokens: 30,
    });
  });

  it.each([
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['stop_sequence', 'stop'],
    ['tool_use', 'tool_calls'],
  ])('maps stop reason %s to finish reason %s', (stopReason, finishReason) => {
    const events = [
      PARALLEL_TOOLS_STREAM[0],
      event({
        type: 'message_delta',
        delta: { stop_reason: stopReason },
        usage: { output_tokens: 1 },
      }),
      event({ type: 'message_stop' }),
    ];

    const { items } = run(events);

    expect(chunks(items).at(-1)?.choices[0].finish_reason).toBe(finishReason);
  });

  it('streams the forced JSON tool as content, finished by stop', () => {
    const events = [
      PARALLEL_TOOLS_STREAM[0],
      event({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't', name: 'city', input: {} },
      }),
      event({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"a":' },
      }),
      event({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '1}' },
      }),
      event({
        type: 'message_delta',
        delta: { stop_reason: 'tool_use' },
        usage: { output_tokens: 3 },
      }),
      event({ type: 'message_stop' }),
    ];

    const { items } = run(events, { ...context, jsonToolName: 'city' });

    const content = chunks(items)
      .map((chunk) => chunk.choices[0]?.delta.content ?? '')
      .join('');
    expect(content).toBe('{"a":1}');
    expect(chunks(items).at(-1)?.choices[0].finish_reason).toBe('stop');
  });

  it('hides thinking blocks', () => {
    const events = [
      PARALLEL_TOOLS_STREAM[0],
      event({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '' },
      }),
      event({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: 'secret' },
      }),
      event({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'x' },
      }),
      event({ type: 'content_block_stop', index: 0 }),
    ];

    const { items } = run(events);

    expect(JSON.stringify(items)).not.toContain('secret');
  });

  it('turns an error event into an OpenAI error and stops', () => {
    const events = [
      PARALLEL_TOOLS_STREAM[0],
      event({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
      PARALLEL_TOOLS_STREAM[1],
    ];

    const { items, stream } = run(events);

    expect(items.at(-1)).toEqual({
      kind: 'error',
      error: {
        error: {
          message: 'Overloaded',
          type: 'server_error',
          param: null,
          code: 'overloaded_error',
        },
      },
    });
    expect(stream.settled).toBe(true);
  });

  it('ends with an error when the upstream stops before message_stop', () => {
    const { items } = run(PARALLEL_TOOLS_STREAM.slice(0, 5));

    expect(items.at(-1)?.kind).toBe('error');
  });
});
