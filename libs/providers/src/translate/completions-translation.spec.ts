import { SseParser } from '../sse/sse-parser';
import {
  LEGACY_DEFAULT_MAX_TOKENS,
  createCompletionsStreamTranslator,
  translateCompletionsRequest,
  translateCompletionsResponse,
} from './completions-translation';
import { TranslationException } from './translation.exception';

const ANTHROPIC_STREAM = [
  'event: message_start',
  'data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"usage":{"input_tokens":7,"output_tokens":1}}}',
  '',
  'event: content_block_start',
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}',
  '',
  'event: content_block_stop',
  'data: {"type":"content_block_stop","index":0}',
  '',
  'event: message_delta',
  'data: {"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":2}}',
  '',
  'event: message_stop',
  'data: {"type":"message_stop"}',
  '',
  '',
].join('\n');

describe(translateCompletionsRequest.name, () => {
  it('sends the prompt as one user message, with 16 output tokens unless set', () => {
    const translated = translateCompletionsRequest('anthropic', {
      model: 'claude-x',
      prompt: ['Once upon'],
      temperature: 0.2,
      stop: ['\n'],
    });

    expect(translated.body).toMatchObject({
      model: 'claude-x',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Once upon' }] }],
      max_tokens: LEGACY_DEFAULT_MAX_TOKENS,
      temperature: 0.2,
      stop_sequences: ['\n'],
    });
  });

  it('keeps the caller’s max_tokens and carries the prompt to Gemini', () => {
    const translated = translateCompletionsRequest('gemini', {
      model: 'gemini-x',
      prompt: 'Hi',
      max_tokens: 64,
    });

    expect(translated.model).toBe('gemini-x');
    expect(translated.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generationConfig: { maxOutputTokens: 64 },
    });
  });

  it.each([
    ['suffix', { suffix: 'end' }],
    ['echo', { echo: true }],
    ['logprobs', { logprobs: 2 }],
    ['best_of', { best_of: 3 }],
    ['n', { n: 2 }],
    ['prompt', { prompt: ['a', 'b'] }],
    ['prompt', { prompt: [1, 2, 3] }],
    ['frobnicate', { frobnicate: true }],
  ])('refuses %s, naming it', (field, extra) => {
    const call = () =>
      translateCompletionsRequest('anthropic', { model: 'claude-x', prompt: 'Hi', ...extra });

    expect(call).toThrow(TranslationException);
    expect(call).toThrow(field);
  });

  it('accepts the neutral values of refused fields', () => {
    const call = () =>
      translateCompletionsRequest('gemini', {
        model: 'gemini-x',
        prompt: 'Hi',
        n: 1,
        best_of: 1,
        echo: false,
        logprobs: null,
        suffix: null,
      });

    expect(call).not.toThrow();
  });
});

describe(translateCompletionsResponse.name, () => {
  it('answers a text_completion with the text, the finish reason and the usage', () => {
    const { context } = translateCompletionsRequest('anthropic', {
      model: 'claude-x',
      prompt: 'Hi',
    });

    const answer = translateCompletionsResponse(context, {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [{ type: 'text', text: 'Hello' }],
      stop_reason: 'max_tokens',
      stop_sequence: null,
      usage: { input_tokens: 7, output_tokens: 2 },
    });

    expect(answer).toMatchObject({
      id: 'cmpl-msg_1',
      object: 'text_completion',
      model: 'claude-x',
      choices: [{ text: 'Hello', index: 0, logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 },
    });
  });
});

describe(createCompletionsStreamTranslator.name, () => {
  const run = (includeUsage: boolean) => {
    const { context } = translateCompletionsRequest('anthropic', {
      model: 'claude-x',
      prompt: 'Hi',
      stream: true,
      ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    });
    const translator = createCompletionsStreamTranslator(context);
    const text = translator.push(Buffer.from(ANTHROPIC_STREAM)) + translator.end();
    const events = new SseParser().push(Buffer.from(text)).map((event) => event.data);

    return { events, usage: translator.usage };
  };

  it('writes text_completion chunks, the finish reason last, then [DONE]', () => {
    const { events, usage } = run(false);

    const chunks = events.slice(0, -1).map((data) => JSON.parse(data) as Record<string, never>);
    expect(events.at(-1)).toBe('[DONE]');
    expect(chunks.every((chunk) => chunk.object === 'text_completion')).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.['text'])).toEqual(['Hel', 'lo', '']);
    expect(chunks.at(-1)?.choices[0]?.['finish_reason']).toBe('length');
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(usage).toMatchObject({ promptTokens: 7, completionTokens: 2 });
  });

  it('adds the usage chunk when the caller asked for it', () => {
    const { events } = run(true);

    const last = JSON.parse(events.at(-2) ?? '{}') as { choices: unknown[]; usage: object };
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 2 });
  });
});
