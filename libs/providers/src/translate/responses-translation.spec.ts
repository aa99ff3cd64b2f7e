import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';

import {
  ANTHROPIC_PARALLEL_TOOLS_SSE,
  GEMINI_PARALLEL_TOOLS_SSE,
} from '../../test/stream-fixtures';
import { SseParser } from '../sse/sse-parser';
import {
  ResponsesTranslationContext,
  createResponsesStreamTranslator,
  translateResponsesError,
  translateResponsesRequest,
  translateResponsesResponse,
} from './responses-translation';

const TOOLS = [
  { type: 'function', name: 'get_weather', parameters: { type: 'object' } },
  { type: 'function', name: 'get_time', parameters: { type: 'object' } },
];

function contextFor(to: 'anthropic' | 'gemini', stream = false): ResponsesTranslationContext {
  const model = to === 'anthropic' ? 'claude-x' : 'gemini-x';

  return translateResponsesRequest(to, { model, input: 'Weather?', tools: TOOLS, stream }).context;
}

const anthropicMessage = (fields: Record<string, unknown>) => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-x-2025',
  content: [{ type: 'text', text: 'Hello' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 5 },
  ...fields,
});

/** Runs a provider stream through the translator and returns the events the caller gets. */
function translateStream(context: ResponsesTranslationContext, sse: string, splitAt = 97) {
  const translator = createResponsesStreamTranslator(context);
  const bytes = new TextEncoder().encode(sse);
  let out = '';
  for (let start = 0; start < bytes.length; start += splitAt) {
    out += translator.push(bytes.subarray(start, start + splitAt));
  }
  out += translator.end();
  const parser = new SseParser();
  const events = [...parser.push(new TextEncoder().encode(out)), ...parser.end()];

  return {
    translator,
    names: events.map((event) => event.event),
    payloads: events.map((event) => JSON.parse(event.data) as ResponseStreamEvent),
  };
}

/** What the official SDK's stream helper makes of the events. */
function sdkSnapshot(payloads: ResponseStreamEvent[]): Response {
  let snapshot: Response | undefined;
  for (const payload of payloads) snapshot = accumulateResponse(payload, snapshot);
  if (!snapshot) throw new Error('no events');

  return snapshot;
}

describe(translateResponsesResponse.name, () => {
  it('turns an Anthropic answer with text and two tool calls into message and function_call items', () => {
    const content = [
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
    ];

    const response = translateResponsesResponse(
      contextFor('anthropic'),
      anthropicMessage({ content, stop_reason: 'tool_use' }),
    );

    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      incomplete_details: null,
      model: 'claude-x-2025',
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Let me check.', annotations: [] }],
        },
        {
          type: 'function_call',
          call_id: 'toolu_1',
          name: 'get_weather',
          arguments: '{"city":"Paris"}',
        },
        { type: 'function_call', call_id: 'toolu_2', name: 'get_time', arguments: '{}' },
      ],
      tools: TOOLS,
      store: false,
    });
    expect(response.id).toMatch(/^resp_/);
    const ids = response.output.map((item) => item.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('reports cached and thinking tokens in the Responses usage names', () => {
    const usage = {
      input_tokens: 10,
      cache_read_input_tokens: 30,
      cache_creation_input_tokens: 5,
      output_tokens: 20,
      output_tokens_details: { thinking_tokens: 12 },
    };

    const response = translateResponsesResponse(
      contextFor('anthropic'),
      anthropicMessage({ usage }),
    );

    expect(response.usage).toEqual({
      input_tokens: 45,
      input_tokens_details: { cached_tokens: 30 },
      output_tokens: 20,
      output_tokens_details: { reasoning_tokens: 12 },
      total_tokens: 65,
    });
  });

  it.each([
    ['max_tokens', 'max_output_tokens'],
    ['refusal', 'content_filter'],
  ])('makes stop reason %s an incomplete response (%s)', (stopReason, reason) => {
    const response = translateResponsesResponse(
      contextFor('anthropic'),
      anthropicMessage({ stop_reason: stopReason }),
    );

    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason },
      output: [{ type: 'message', status: 'incomplete' }],
    });
  });

  it('turns a Gemini answer with parallel function calls into distinct call ids', () => {
    const body = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
              { functionCall: { name: 'get_time', args: {} } },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: 80,
        candidatesTokenCount: 30,
        thoughtsTokenCount: 12,
        cachedContentTokenCount: 30,
        totalTokenCount: 122,
      },
      modelVersion: 'gemini-x-001',
    };

    const response = translateResponsesResponse(contextFor('gemini'), body);

    const calls = response.output.filter((item) => item.type === 'function_call');
    expect(calls.map((call) => call.name)).toEqual(['get_weather', 'get_time']);
    expect(new Set(calls.map((call) => call.call_id)).size).toBe(2);
    expect(response.usage).toEqual({
      input_tokens: 80,
      input_tokens_details: { cached_tokens: 30 },
      output_tokens: 42,
      output_tokens_details: { reasoning_tokens: 12 },
      total_tokens: 122,
    });
  });
});

describe(createResponsesStreamTranslator.name, () => {
  it.each([
    ['anthropic', ANTHROPIC_PARALLEL_TOOLS_SSE, 'Checking now ☀️.'],
    ['gemini', GEMINI_PARALLEL_TOOLS_SSE, 'Checking now ☀️.'],
  ] as const)('streams a %s answer as Responses events the SDK reassembles', (to, sse, text) => {
    const { payloads, names } = translateStream(contextFor(to, true), sse);

    const snapshot = sdkSnapshot(payloads);
    expect(snapshot.status).toBe('completed');
    expect(snapshot.output_text).toBe(text);
    const calls = snapshot.output.filter((item) => item.type === 'function_call');
    expect(calls.map((call) => [call.name, JSON.parse(call.arguments) as unknown])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_time', {}],
    ]);
    expect(new Set(calls.map((call) => call.call_id)).size).toBe(2);
    expect(names[0]).toBe('response.created');
    expect(names.at(-1)).toBe('response.completed');
    expect(payloads.map((payload) => payload.sequence_number)).toEqual(
      payloads.map((_, index) => index),
    );
  });

  it('ends with usage in response.completed and meters the provider’s figures', () => {
    const { payloads, translator } = translateStream(
      contextFor('anthropic', true),
      ANTHROPIC_PARALLEL_TOOLS_SSE,
    );

    const completed = payloads.at(-1);
    expect(completed).toMatchObject({
      type: 'response.completed',
      response: {
        usage: {
          input_tokens: 80,
          input_tokens_details: { cached_tokens: 30 },
          output_tokens: 42,
        },
      },
    });
    expect(translator.usage).toMatchObject({
      promptTokens: 80,
      completionTokens: 42,
      cachedInputTokens: 30,
    });
  });

  it('streams text deltas as they arrive, one event per upstream piece', () => {
    const { names } = translateStream(contextFor('anthropic', true), ANTHROPIC_PARALLEL_TOOLS_SSE);

    expect(names.filter((name) => name === 'response.output_text.delta')).toHaveLength(2);
    expect(names.filter((name) => name === 'response.output_item.added')).toHaveLength(3);
    expect(names.filter((name) => name === 'response.output_item.done')).toHaveLength(3);
  });

  it('ends a stream cut before its end with response.failed', () => {
    const cut = ANTHROPIC_PARALLEL_TOOLS_SSE.slice(0, ANTHROPIC_PARALLEL_TOOLS_SSE.indexOf('ping'));

    const { payloads } = translateStream(contextFor('anthropic', true), cut);

    expect(payloads.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'server_error' } },
    });
    expect(sdkSnapshot(payloads).status).toBe('failed');
  });

  it('ends with response.failed when the provider sends something unreadable', () => {
    const { payloads } = translateStream(contextFor('gemini', true), 'data: {not json\n\n');

    expect(payloads.map((payload) => payload.type)).toEqual([
      'response.created',
      'response.in_progress',
      'error',
      'response.failed',
    ]);
    expect(payloads[2]).toMatchObject({ sequence_number: 2, error: { code: 'server_error' } });
  });
});

describe(translateResponsesError.name, () => {
  it('gives a provider’s error in OpenAI’s shape', () => {
    const body = { type: 'error', error: { type: 'invalid_request_error', message: 'Bad.' } };

    expect(translateResponsesError({ to: 'anthropic' }, 400, body)).toEqual({
      error: {
        message: 'Bad.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request_error',
      },
    });
  });
});
