import { OPENAI_PARALLEL_TOOLS_SSE } from '../../test/stream-fixtures';
import type { AnthropicStreamEventOut } from '../protocols/anthropic-messages-output';
import { SseEvent, SseParser } from '../sse/sse-parser';
import { OpenAiChatToAnthropicStream } from './openai-to-anthropic.stream';

const context = { model: 'gpt-x' };

function parse(sse: string): SseEvent[] {
  const parser = new SseParser();

  return [...parser.push(new TextEncoder().encode(sse)), ...parser.end()];
}

function run(events: SseEvent[]): {
  out: AnthropicStreamEventOut[];
  stream: OpenAiChatToAnthropicStream;
} {
  const stream = new OpenAiChatToAnthropicStream(context);
  const out = events.flatMap((event) => stream.push(event));
  out.push(...stream.end());

  return { out, stream };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null): SseEvent => ({
  event: 'message',
  data: JSON.stringify({
    id: 'c',
    model: 'gpt-x',
    choices: [{ index: 0, delta, finish_reason: finish }],
  }),
});

describe(OpenAiChatToAnthropicStream.name, () => {
  it('produces message_start, a text block, one tool_use block per call, message_delta, message_stop', () => {
    const { out } = run(parse(OPENAI_PARALLEL_TOOLS_SSE));

    expect(out.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('numbers blocks in order and streams tool arguments as input_json_delta', () => {
    const { out } = run(parse(OPENAI_PARALLEL_TOOLS_SSE));

    const starts = out.filter((event) => event.type === 'content_block_start');
    expect(starts).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'call_a', name: 'get_weather', input: {} },
      },
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'call_b', name: 'get_time', input: {} },
      },
    ]);
    const json = out.flatMap((event) =>
      event.type === 'content_block_delta' && event.delta.type === 'input_json_delta'
        ? [[event.index, event.delta.partial_json]]
        : [],
    );
    expect(json).toEqual([
      [1, '{"city": '],
      [1, '"Paris"}'],
      [2, '{}'],
    ]);
  });

  it('ends with the stop reason and the usage, cached tokens as cache reads', () => {
    const { out, stream } = run(parse(OPENAI_PARALLEL_TOOLS_SSE));

    expect(out.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: {
        input_tokens: 50,
        output_tokens: 42,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 30,
      },
    });
    expect(stream.usage).toEqual({
      promptTokens: 80,
      completionTokens: 42,
      totalTokens: 122,
      cachedInputTokens: 30,
    });
  });

  it('opens the message with the upstream id and model', () => {
    const { out } = run(parse(OPENAI_PARALLEL_TOOLS_SSE));

    expect(out[0]).toMatchObject({
      type: 'message_start',
      message: { id: 'chatcmpl-1', model: 'gpt-x', content: [] },
    });
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['content_filter', 'refusal'],
  ])('maps finish reason %s to stop reason %s', (finishReason, stopReason) => {
    const { out } = run([
      chunk({ content: 'x' }),
      chunk({}, finishReason),
      { event: 'message', data: '[DONE]' },
    ]);

    expect(out.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: stopReason } });
  });

  it('completes a stream whose host never sent [DONE]', () => {
    const { out } = run([chunk({ content: 'x' }), chunk({}, 'stop')]);

    expect(out.at(-1)).toEqual({ type: 'message_stop' });
  });

  it('ends with an error event when the upstream stops before a finish reason', () => {
    const { out } = run([chunk({ content: 'x' })]);

    expect(out.at(-1)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });

  it('turns an in-stream OpenAI error into an Anthropic error event, scrubbed', () => {
    const error = {
      event: 'message',
      data: JSON.stringify({
        error: { message: 'bad key sk-abcdefghijklmnop', type: 'server_error' },
      }),
    };

    const { out, stream } = run([chunk({ content: 'x' }), error]);

    expect(out.at(-1)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'bad key [redacted]' },
    });
    expect(stream.settled).toBe(true);
  });

  it('refuses interleaved tool arguments with an error event instead of misplacing them', () => {
    const events = [
      chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'b', function: { name: 'g', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '}' } }] }),
      chunk({}, 'tool_calls'),
    ];

    const { out } = run(events);

    expect(out.at(-1)).toMatchObject({ type: 'error' });
  });
});
