import { GEMINI_PARALLEL_TOOLS_SSE } from '../../test/stream-fixtures';
import type { AnthropicStreamEventOut } from '../protocols/anthropic-messages-output';
import { SseParser } from '../sse/sse-parser';
import {
  GeminiToAnthropicStream,
  anthropicToGemini,
  geminiResponseToAnthropic,
} from './anthropic-via-gemini';
import { TranslationException } from './translation.exception';

const request = (fields: Record<string, unknown>) => ({
  model: 'gemini-x',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Hi' }],
  ...fields,
});

describe(anthropicToGemini.name, () => {
  it('carries system, messages, tools, limits and stops over to Gemini', () => {
    const { body, model, stream } = anthropicToGemini(
      request({
        system: 'Be brief.',
        stop_sequences: ['END'],
        stream: true,
        tools: [{ name: 'get_time', input_schema: { type: 'object' } }],
        tool_choice: { type: 'any' },
      }),
    );

    expect(model).toBe('gemini-x');
    expect(stream).toBe(true);
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      tools: [
        { functionDeclarations: [{ name: 'get_time', parametersJsonSchema: { type: 'object' } }] },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
      generationConfig: { maxOutputTokens: 256, stopSequences: ['END'] },
    });
  });

  it('carries top_k and the exact thinking budget around the OpenAI step', () => {
    const { body } = anthropicToGemini(
      request({ top_k: 12, thinking: { type: 'enabled', budget_tokens: 3000 } }),
    );

    expect(body.generationConfig).toMatchObject({
      topK: 12,
      thinkingConfig: { thinkingBudget: 3000 },
    });
  });

  it('carries tool use and tool results, naming each function response', () => {
    const { body } = anthropicToGemini(
      request({
        messages: [
          { role: 'user', content: 'Time?' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_time', input: {} }],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '12:00' }],
          },
        ],
      }),
    );

    expect(body.contents.slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { name: 'get_time', args: {} } }] },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_time', response: { result: '12:00' } } }],
      },
    ]);
  });

  it('names Gemini when it refuses', () => {
    const act = () =>
      anthropicToGemini(
        request({ tool_choice: { type: 'auto', disable_parallel_tool_use: true } }),
      );

    expect(act).toThrow(TranslationException);
    expect(act).toThrow(/Gemini/);
  });
});

describe(geminiResponseToAnthropic.name, () => {
  it('answers with text and tool_use blocks and Anthropic usage', () => {
    const { context } = anthropicToGemini(request({}));
    const body = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ text: 'Sure.' }, { functionCall: { name: 'get_time', args: {} } }],
          },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 4, cachedContentTokenCount: 2 },
      modelVersion: 'gemini-x-001',
    };

    const message = geminiResponseToAnthropic(body, context);

    expect(message).toMatchObject({
      type: 'message',
      model: 'gemini-x-001',
      content: [
        { type: 'text', text: 'Sure.' },
        { type: 'tool_use', name: 'get_time', input: {} },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 7, output_tokens: 4, cache_read_input_tokens: 2 },
    });
  });
});

describe(GeminiToAnthropicStream.name, () => {
  it('turns a Gemini stream into a complete Anthropic event sequence', () => {
    const { context } = anthropicToGemini(request({ stream: true }));
    const stream = new GeminiToAnthropicStream(context);
    const parser = new SseParser();
    const events = parser.push(new TextEncoder().encode(GEMINI_PARALLEL_TOOLS_SSE));

    const out: AnthropicStreamEventOut[] = [
      ...events.flatMap((event) => stream.push(event)),
      ...stream.end(),
    ];

    expect(out.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(out.at(-2)).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { input_tokens: 50, output_tokens: 42, cache_read_input_tokens: 30 },
    });
    expect(stream.usage).toEqual({
      promptTokens: 80,
      completionTokens: 42,
      totalTokens: 122,
      cachedInputTokens: 30,
      reasoningTokens: 12,
    });
  });
});
