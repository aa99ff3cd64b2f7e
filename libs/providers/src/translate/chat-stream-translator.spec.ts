import {
  ANTHROPIC_PARALLEL_TOOLS_SSE,
  GEMINI_PARALLEL_TOOLS_SSE,
  OPENAI_PARALLEL_TOOLS_SSE,
} from '../../test/stream-fixtures';
import { SseParser } from '../sse/sse-parser';
import { ChatStreamTranslator } from './chat-stream-translator';
import { ChatTranslationContext, createChatStreamTranslator } from './chat-translation';

const encoder = new TextEncoder();

const CONTEXTS: [string, ChatTranslationContext, string][] = [
  [
    'Anthropic → OpenAI',
    {
      from: 'openai',
      to: 'anthropic',
      answer: { model: 'm', includeUsage: true, jsonToolName: null },
    },
    ANTHROPIC_PARALLEL_TOOLS_SSE,
  ],
  [
    'OpenAI → Anthropic',
    { from: 'anthropic', to: 'openai', answer: { model: 'm' } },
    OPENAI_PARALLEL_TOOLS_SSE,
  ],
  [
    'Gemini → OpenAI',
    { from: 'openai', to: 'gemini', answer: { model: 'm', includeUsage: true } },
    GEMINI_PARALLEL_TOOLS_SSE,
  ],
  [
    'Gemini → Anthropic',
    {
      from: 'anthropic',
      to: 'gemini',
      answer: { openAi: { model: 'm' }, gemini: { model: 'm', includeUsage: true } },
    },
    GEMINI_PARALLEL_TOOLS_SSE,
  ],
];

/** Splits bytes at random places, including inside multi-byte characters. */
function randomSplits(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    const end = Math.min(bytes.length, start + 1 + Math.floor(random() * 40));
    pieces.push(bytes.subarray(start, end));
    start = end;
  }

  return pieces;
}

function seeded(seed: number): () => number {
  let state = seed;

  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;

    return state / 4294967296;
  };
}

function translate(translator: ChatStreamTranslator, pieces: Uint8Array[]): string {
  return pieces.map((piece) => translator.push(piece)).join('') + translator.end();
}

/** The caller-side events with fields that differ per run (ids, times) blanked. */
function normalised(sse: string): string[] {
  const parser = new SseParser();

  return parser
    .push(encoder.encode(sse))
    .map(
      (event) => `${event.event} ${event.data.replace(/"(created|id)":("[^"]*"|\d+)/g, '"$1":0')}`,
    );
}

describe(ChatStreamTranslator.name, () => {
  it.each(CONTEXTS)('translates %s the same however the bytes are split', (_name, context, sse) => {
    const bytes = encoder.encode(sse);
    const whole = normalised(translate(createChatStreamTranslator(context), [bytes]));

    for (let seed = 1; seed <= 25; seed++) {
      const pieces = randomSplits(bytes, seeded(seed));

      const split = normalised(translate(createChatStreamTranslator(context), pieces));

      expect(split).toEqual(whole);
    }
    expect(whole.length).toBeGreaterThanOrEqual(8);
  });

  it.each(CONTEXTS)('keeps %s usage for metering', (_name, context, sse) => {
    const translator = createChatStreamTranslator(context);

    translate(translator, [encoder.encode(sse)]);

    expect(translator.usage).toMatchObject({
      promptTokens: 80,
      completionTokens: 42,
      totalTokens: 122,
      cachedInputTokens: 30,
    });
    expect(translator.settled).toBe(true);
  });

  it('writes each OpenAI chunk as a data event and ends with [DONE]', () => {
    const translator = createChatStreamTranslator(CONTEXTS[0][1]);

    const out = translate(translator, [encoder.encode(ANTHROPIC_PARALLEL_TOOLS_SSE)]);

    expect(out.startsWith('data: {"id":"msg_1","object":"chat.completion.chunk"')).toBe(true);
    expect(out.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('writes Anthropic events with their event names', () => {
    const translator = createChatStreamTranslator(CONTEXTS[1][1]);

    const out = translate(translator, [encoder.encode(OPENAI_PARALLEL_TOOLS_SSE)]);

    expect(out.startsWith('event: message_start\ndata: {"type":"message_start"')).toBe(true);
    expect(out.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  });

  it('ends the caller stream with an error event when the provider sends garbage', () => {
    const translator = createChatStreamTranslator(CONTEXTS[1][1]);

    const out = translate(translator, [
      encoder.encode(
        'data: {"id":"c","choices":[{"index":0,"delta":{"content":"x"}}]}\n\ndata: <html>\n\n',
      ),
    ]);

    expect(out).toContain('event: error\ndata: {"type":"error","error":{"type":"api_error"');
    expect(translator.settled).toBe(true);
    expect(translator.push(encoder.encode('data: {}\n\n'))).toBe('');
  });

  it('ends the caller stream with an error event when a line is too long', () => {
    const translator = createChatStreamTranslator(CONTEXTS[0][1], { maxLineLength: 64 });

    const out = translator.push(encoder.encode(`data: ${'x'.repeat(100)}`));

    expect(out).toMatch(/^data: \{"error":\{"message":"An SSE line exceeded 64 characters"/);
  });

  it('ends the caller stream with an error event when the provider stops early', () => {
    const translator = createChatStreamTranslator(CONTEXTS[2][1]);
    const firstEvent = GEMINI_PARALLEL_TOOLS_SSE.slice(
      0,
      GEMINI_PARALLEL_TOOLS_SSE.indexOf('\r\n\r\n') + 4,
    );

    const out = translate(translator, [encoder.encode(firstEvent)]);

    expect(out).toContain('"error":{"message":"The provider ended the stream early."');
  });
});
