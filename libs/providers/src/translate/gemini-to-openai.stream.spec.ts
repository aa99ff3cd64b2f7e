import { GEMINI_PARALLEL_TOOLS_SSE } from '../../test/stream-fixtures';
import type { OpenAiChatChunkOut } from '../protocols/openai-chat-output';
import { SseEvent, SseParser } from '../sse/sse-parser';
import { thoughtSignatureOf } from './gemini-tool-ids';
import { GeminiToOpenAiChatStream } from './gemini-to-openai.stream';
import type { OpenAiStreamItem } from './stream-items';

const context = { model: 'gemini-x', includeUsage: false };

function parse(sse: string): SseEvent[] {
  const parser = new SseParser();

  return [...parser.push(new TextEncoder().encode(sse)), ...parser.end()];
}

function run(
  events: SseEvent[],
  ctx = context,
): { items: OpenAiStreamItem[]; stream: GeminiToOpenAiChatStream } {
  const stream = new GeminiToOpenAiChatStream(ctx);
  const items = events.flatMap((event) => stream.push(event));
  items.push(...stream.end());

  return { items, stream };
}

const chunks = (items: OpenAiStreamItem[]): OpenAiChatChunkOut[] =>
  items.flatMap((item) => (item.kind === 'chunk' ? [item.chunk] : []));

describe(GeminiToOpenAiChatStream.name, () => {
  it('streams the role, the text, two whole tool calls with distinct indexes, the finish and [DONE]', () => {
    const { items } = run(parse(GEMINI_PARALLEL_TOOLS_SSE));

    const deltas = chunks(items).map((chunk) => chunk.choices[0]?.delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Checking' },
      { content: ' now ☀️.' },
      {
        tool_calls: [
          {
            index: 0,
            id: expect.any(String),
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      {
        tool_calls: [
          {
            index: 1,
            id: expect.any(String),
            type: 'function',
            function: { name: 'get_time', arguments: '{}' },
          },
        ],
      },
      {},
    ]);
    expect(chunks(items).at(-1)?.choices[0].finish_reason).toBe('tool_calls');
    expect(items.at(-1)).toEqual({ kind: 'done' });
  });

  it('keeps the thought signature in the first call id', () => {
    const { items } = run(parse(GEMINI_PARALLEL_TOOLS_SSE));

    const ids = chunks(items).flatMap(
      (chunk) => chunk.choices[0]?.delta.tool_calls?.map((call) => call.id) ?? [],
    );
    expect(thoughtSignatureOf(ids[0] ?? '')).toBe('c2ln+/==');
  });

  it('ends with the usage chunk, thinking counted as reasoning, only when asked', () => {
    const asked = run(parse(GEMINI_PARALLEL_TOOLS_SSE), { ...context, includeUsage: true });
    const silent = run(parse(GEMINI_PARALLEL_TOOLS_SSE));

    expect(chunks(asked.items).at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 80,
        completion_tokens: 42,
        total_tokens: 122,
        prompt_tokens_details: { cached_tokens: 30 },
        completion_tokens_details: { reasoning_tokens: 12 },
      },
    });
    expect(chunks(silent.items).some((chunk) => chunk.usage)).toBe(false);
    expect(silent.stream.usage).toEqual({
      promptTokens: 80,
      completionTokens: 42,
      totalTokens: 122,
      cachedInputTokens: 30,
      reasoningTokens: 12,
    });
  });

  it('uses the response id and model version on every chunk', () => {
    const { items } = run(parse(GEMINI_PARALLEL_TOOLS_SSE));

    expect(
      chunks(items).every((chunk) => chunk.id === 'resp-1' && chunk.model === 'gemini-x-001'),
    ).toBe(true);
  });

  it('maps MAX_TOKENS to length', () => {
    const event = {
      event: 'message',
      data: JSON.stringify({
        candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'MAX_TOKENS' }],
      }),
    };

    const { items } = run([event]);

    expect(chunks(items).at(-1)?.choices[0].finish_reason).toBe('length');
  });

  it('ends with an error when no candidate finished', () => {
    const { items } = run(parse(GEMINI_PARALLEL_TOOLS_SSE).slice(0, 2));

    expect(items.at(-1)?.kind).toBe('error');
  });

  it('turns an in-stream Gemini error into an OpenAI error', () => {
    const event = {
      event: 'message',
      data: JSON.stringify({ error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }),
    };

    const { items } = run([event]);

    expect(items).toEqual([
      {
        kind: 'error',
        error: {
          error: { message: 'overloaded', type: 'server_error', param: null, code: 'UNAVAILABLE' },
        },
      },
    ]);
  });
});
