import OpenAI, { BadRequestError } from 'openai';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';

import { RunningMockProvider, startMockProvider } from './mock-provider.process';

const MODEL = 'gpt-4o';
const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' }, days: { type: 'integer' } },
        required: ['city'],
      },
    },
  },
  {
    type: 'function',
    function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
  },
  { type: 'function', function: { name: 'unused' } },
];
const QUESTION: ChatCompletionMessageParam = {
  role: 'user',
  content: 'Weather and time in Paris?',
};

describe('MockProvider OpenAI tool calling and output controls (e2e)', () => {
  let mock: RunningMockProvider;
  const client = (): OpenAI =>
    new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'sk-test-tools', maxRetries: 0 });

  beforeAll(async () => {
    mock = await startMockProvider();
  });

  afterAll(async () => {
    await mock?.stop();
  });

  it('calls the first two tools in parallel, then answers with their results', async () => {
    const openai = client();

    const first = await openai.chat.completions.create({
      model: MODEL,
      messages: [QUESTION],
      tools: TOOLS,
    });
    const calls = first.choices[0].message.tool_calls ?? [];
    const results: ChatCompletionMessageParam[] = calls.map((call) => ({
      role: 'tool',
      tool_call_id: call.id,
      content: call.type === 'function' && call.function.name === 'get_weather' ? '18°C' : '14:05',
    }));
    const second = await openai.chat.completions.create({
      model: MODEL,
      tools: TOOLS,
      messages: [QUESTION, first.choices[0].message, ...results],
    });

    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(first.choices[0].message.content).toBeNull();
    expect(calls.map((call) => call.type === 'function' && call.function.name)).toEqual([
      'get_weather',
      'get_time',
    ]);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
    const weather = calls[0];
    expect(weather.type === 'function' && JSON.parse(weather.function.arguments)).toEqual({
      city: expect.stringMatching(/^city-/),
      days: expect.any(Number),
    });
    expect(second.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: {
        content:
          'Mock reply using 2 tool result(s) for gpt-4o: get_weather → 18°C; get_time → 14:05.',
      },
    });
  });

  it('streams the same tool calls with distinct indexes', async () => {
    const openai = client();
    const whole = await openai.chat.completions.create({
      model: MODEL,
      messages: [QUESTION],
      tools: TOOLS,
    });
    const indexes = new Set<number>();

    const stream = openai.chat.completions.stream({
      model: MODEL,
      messages: [QUESTION],
      tools: TOOLS,
    });
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) indexes.add(call.index);
    }
    const streamed = await stream.finalChatCompletion();

    expect([...indexes]).toEqual([0, 1]);
    expect(streamed.choices[0].message.tool_calls).toEqual(whole.choices[0].message.tool_calls);
    expect(streamed.choices[0].finish_reason).toBe('tool_calls');
  });

  it('calls one tool when parallel calls are off, the named one when it is named', async () => {
    const openai = client();

    const single = await openai.chat.completions.create({
      model: MODEL,
      messages: [QUESTION],
      tools: TOOLS,
      parallel_tool_calls: false,
    });
    const named = await openai.chat.completions.create({
      model: MODEL,
      messages: [QUESTION],
      tools: TOOLS,
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });

    expect(single.choices[0].message.tool_calls).toHaveLength(1);
    const [call] = named.choices[0].message.tool_calls ?? [];
    expect(call?.type === 'function' && call.function.name).toBe('get_time');
  });

  it('refuses tool calls left unanswered, as OpenAI does', async () => {
    const openai = client();
    const first = await openai.chat.completions.create({
      model: MODEL,
      messages: [QUESTION],
      tools: TOOLS,
    });

    const request = openai.chat.completions.create({
      model: MODEL,
      messages: [QUESTION, first.choices[0].message, { role: 'user', content: 'and?' }],
    });

    await expect(request).rejects.toBeInstanceOf(BadRequestError);
  });

  it('answers json_schema output with JSON that fits', async () => {
    const completion = await client().chat.completions.create({
      model: MODEL,
      messages: [QUESTION],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'r',
          schema: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    });

    expect(JSON.parse(completion.choices[0].message.content ?? '')).toEqual({
      city: expect.stringMatching(/^city-/),
    });
  });

  it('stops before a stop sequence with finish reason stop', async () => {
    const completion = await client().chat.completions.create({
      model: MODEL,
      messages: [QUESTION],
      stop: [' for'],
    });

    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: { content: 'Mock reply to 1 message(s)' },
    });
  });
});
