import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';

import { MockResponseStore } from './response-store';
import { answerResponse } from './responses-answers';

const TOOLS = [
  { type: 'function', name: 'get_weather', parameters: { type: 'object' } },
  { type: 'function', name: 'get_time', parameters: { type: 'object' } },
];

const store = new MockResponseStore();

/** An answer for the mock key `key-a`, whose responses `store` keeps. */
function answer(body: Record<string, unknown>): ReturnType<typeof answerResponse> {
  return answerResponse(body, {
    find: (id) => store.find('key-a', id),
    keep: (stored) => store.keep('key-a', stored),
  });
}

function json(answer: ReturnType<typeof answerResponse>): Response {
  if (answer.kind !== 'json') throw new Error(`expected JSON, got ${answer.kind}`);

  return answer.body as Response;
}

/** The text of a response's messages. */
function textOf(response: Response): string {
  return response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}

/** The SDK's reassembly of a streamed answer, and the event types in order. */
function streamed(answer: ReturnType<typeof answerResponse>): { types: string[]; final: Response } {
  if (answer.kind !== 'sse') throw new Error(`expected a stream, got ${answer.kind}`);
  const events = answer.payloads.map((payload) => {
    if (typeof payload === 'string') throw new Error('Responses events are named');

    return JSON.parse(payload.data) as ResponseStreamEvent;
  });
  let snapshot: Response | undefined;
  for (const event of events) snapshot = accumulateResponse(event, snapshot);
  if (!snapshot) throw new Error('no events');

  return { types: events.map((event) => event.type), final: snapshot };
}

describe(answerResponse.name, () => {
  it('answers a text turn as a completed response with usage', () => {
    const response = json(answer({ model: 'gpt-x', input: 'Hello' }));

    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-x',
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text' }] }],
      usage: { input_tokens_details: { cached_tokens: 0 } },
    });
    expect(response.usage?.total_tokens).toBe(
      (response.usage?.input_tokens ?? 0) + (response.usage?.output_tokens ?? 0),
    );
  });

  it('streams the same text as events the SDK reassembles', () => {
    const whole = json(answer({ model: 'gpt-x', input: 'Hello' }));

    const { types, final } = streamed(answer({ model: 'gpt-x', input: 'Hello', stream: true }));

    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(final.output_text).toBe(textOf(whole));
    expect(textOf(whole)).toMatch(/^Mock reply to 1 message\(s\) for gpt-x: /);
    expect(final.usage).toEqual(whole.usage);
  });

  it('calls two tools in parallel with distinct call ids, streamed or not', () => {
    const request = { model: 'gpt-x', input: 'Weather and time?', tools: TOOLS };

    const whole = json(answer(request));
    const { final } = streamed(answer({ ...request, stream: true }));

    for (const response of [whole, final]) {
      const calls = response.output.flatMap((item) =>
        item.type === 'function_call' ? [item] : [],
      );
      expect(calls.map((call) => call.name)).toEqual(['get_weather', 'get_time']);
      expect(new Set(calls.map((call) => call.call_id)).size).toBe(2);
    }
  });

  it('answers function call outputs by naming each result', () => {
    const response = json(
      answer({
        model: 'gpt-x',
        tools: TOOLS,
        input: [
          { role: 'user', content: 'Weather?' },
          { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{}' },
          { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
        ],
      }),
    );

    expect(JSON.stringify(response.output)).toContain('get_weather → sunny');
  });

  it('reports cached tokens for a prompt cache key and reasoning tokens for an effort', () => {
    const response = json(
      answer({
        model: 'gpt-x',
        input: 'Hello',
        prompt_cache_key: 'k',
        reasoning: { effort: 'low' },
      }),
    );

    expect(response.usage?.input_tokens_details.cached_tokens).toBeGreaterThan(0);
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });

  it('answers 404 for a previous response this key did not store', () => {
    const unknown = answer({ model: 'gpt-x', input: 'Hi', previous_response_id: 'resp_1' });
    const unstored = json(answer({ model: 'gpt-x', input: 'Hi', store: false }));

    const next = answer({ model: 'gpt-x', input: 'Hi', previous_response_id: unstored.id });

    expect(unknown).toMatchObject({ kind: 'json', status: 404 });
    expect(next).toMatchObject({ kind: 'json', status: 404 });
    expect(store.find('key-b', unstored.id)).toBeUndefined();
  });

  it('stores responses by key and continues one after its input and output', () => {
    const first = json(answer({ model: 'gpt-x', input: 'Hi' }));

    const second = json(answer({ model: 'gpt-x', input: 'And?', previous_response_id: first.id }));

    expect(store.find('key-a', first.id)?.response).toEqual(first);
    expect(store.find('key-a', first.id)?.input).toMatchObject([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
    ]);
    expect(store.find('key-b', first.id)).toBeUndefined();
    expect(second.previous_response_id).toBe(first.id);
    expect(textOf(second)).toMatch(/^Mock reply to 3 message\(s\)/);
  });
});
