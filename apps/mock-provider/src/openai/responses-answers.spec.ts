import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';

import { answerResponse } from './responses-answers';

const TOOLS = [
  { type: 'function', name: 'get_weather', parameters: { type: 'object' } },
  { type: 'function', name: 'get_time', parameters: { type: 'object' } },
];

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
    const response = json(answerResponse({ model: 'gpt-x', input: 'Hello' }));

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
    const whole = json(answerResponse({ model: 'gpt-x', input: 'Hello' }));

    const { types, final } = streamed(
      answerResponse({ model: 'gpt-x', input: 'Hello', stream: true }),
    );

    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(final.output_text).toBe(textOf(whole));
    expect(textOf(whole)).toMatch(/^Mock reply to 1 message\(s\) for gpt-x: /);
    expect(final.usage).toEqual(whole.usage);
  });

  it('calls two tools in parallel with distinct call ids, streamed or not', () => {
    const request = { model: 'gpt-x', input: 'Weather and time?', tools: TOOLS };

    const whole = json(answerResponse(request));
    const { final } = streamed(answerResponse({ ...request, stream: true }));

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
      answerResponse({
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
      answerResponse({
        model: 'gpt-x',
        input: 'Hello',
        prompt_cache_key: 'k',
        reasoning: { effort: 'low' },
      }),
    );

    expect(response.usage?.input_tokens_details.cached_tokens).toBeGreaterThan(0);
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });

  it('knows no earlier response, as it stores none', () => {
    const answer = answerResponse({ model: 'gpt-x', input: 'Hi', previous_response_id: 'resp_1' });

    expect(answer).toMatchObject({ kind: 'json', status: 404 });
  });
});
