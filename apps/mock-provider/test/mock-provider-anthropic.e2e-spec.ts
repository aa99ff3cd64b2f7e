import Anthropic, {
  APIError,
  AuthenticationError,
  BadRequestError,
  RateLimitError,
} from '@anthropic-ai/sdk';

import { RecordedRequest } from '../src/recording/request-recorder';
import { RunningMockProvider, startMockProvider } from './mock-provider.process';

const MODEL = 'claude-mock-4';
const TOOLS: Anthropic.Tool[] = [
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    input_schema: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
      required: ['city'],
    },
  },
  {
    name: 'get_time',
    description: 'Local time in a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } } },
  },
  { name: 'unused', input_schema: { type: 'object' } },
];
const QUESTION: Anthropic.MessageParam = { role: 'user', content: 'Weather and time in Paris?' };

describe('MockProvider Anthropic mode (e2e)', () => {
  let mock: RunningMockProvider;
  const client = (apiKey = 'sk-ant-test-alpha'): Anthropic =>
    new Anthropic({ baseURL: mock.url, apiKey, maxRetries: 0 });
  const recorded = async (apiKey: string): Promise<RecordedRequest[]> =>
    (await mock.control(
      'GET',
      `/_mock/requests?apiKey=${encodeURIComponent(apiKey)}`,
    )) as RecordedRequest[];
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${mock.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    mock = await startMockProvider();
  });

  afterAll(async () => {
    await mock?.stop();
  });

  beforeEach(async () => {
    await mock.control('DELETE', '/_mock/requests');
    await mock.control('DELETE', '/_mock/behaviours');
  });

  it('answers a message with text, end_turn, usage and a request-id', async () => {
    const { data: message, response } = await client()
      .messages.create({
        model: MODEL,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hello' }],
      })
      .withResponse();

    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: MODEL,
      stop_reason: 'end_turn',
    });
    expect(message.id).toMatch(/^msg_/);
    expect(message.content).toEqual([
      {
        type: 'text',
        text: expect.stringMatching(/^Mock reply to 1 message\(s\) for claude-mock-4: /),
      },
    ]);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get('request-id')).toBeTruthy();
  });

  it('streams the same text as the non-streaming answer, with every event type in order', async () => {
    const anthropic = client();
    const params = {
      model: MODEL,
      max_tokens: 100,
      messages: [{ role: 'user' as const, content: 'Hello' }],
    };
    const whole = await anthropic.messages.create(params);
    const types: string[] = [];

    const stream = anthropic.messages.stream(params);
    stream.on('streamEvent', (event) => types.push(event.type));
    const streamed = await stream.finalMessage();

    expect(streamed.content).toEqual(whole.content);
    expect(streamed.usage.output_tokens).toBe(whole.usage.output_tokens);
    expect(streamed.stop_reason).toBe('end_turn');
    expect(types.slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('records the key from x-api-key, or from a Bearer token', async () => {
    await client('sk-ant-test-recorded').messages.create({
      model: MODEL,
      max_tokens: 5,
      messages: [QUESTION],
    });
    await new Anthropic({
      baseURL: mock.url,
      authToken: 'oauth-test-token',
      apiKey: null,
      maxRetries: 0,
    }).messages.create({
      model: MODEL,
      max_tokens: 5,
      messages: [QUESTION],
    });

    const [byKey] = await recorded('sk-ant-test-recorded');
    const [byBearer] = await recorded('oauth-test-token');

    expect(byKey).toMatchObject({ path: '/v1/messages', model: MODEL, status: 200 });
    expect(byKey.headers['anthropic-version']).toBe('2023-06-01');
    expect(byBearer.path).toBe('/v1/messages');
  });

  describe('tool calling', () => {
    it('calls the first two tools in parallel, then answers with their results', async () => {
      const anthropic = client();

      const first = await anthropic.messages.create({
        model: MODEL,
        max_tokens: 200,
        tools: TOOLS,
        messages: [QUESTION],
      });
      const uses = first.content.filter(
        (block): block is Anthropic.ToolUseBlock => block.type === 'tool_use',
      );
      const results: Anthropic.ToolResultBlockParam[] = uses.map((use) => ({
        type: 'tool_result',
        tool_use_id: use.id,
        content: use.name === 'get_weather' ? '18°C and sunny' : '14:05',
      }));
      const second = await anthropic.messages.create({
        model: MODEL,
        max_tokens: 200,
        tools: TOOLS,
        messages: [
          QUESTION,
          { role: 'assistant', content: first.content },
          { role: 'user', content: results },
        ],
      });

      expect(first.stop_reason).toBe('tool_use');
      expect(uses.map((use) => use.name)).toEqual(['get_weather', 'get_time']);
      expect(new Set(uses.map((use) => use.id)).size).toBe(2);
      expect(uses[0].input).toEqual({
        city: expect.stringMatching(/^city-/),
        unit: expect.stringMatching(/^[cf]$/),
      });
      expect(second.stop_reason).toBe('end_turn');
      expect(second.content[0]).toEqual({
        type: 'text',
        text: 'Mock reply using 2 tool result(s) for claude-mock-4: get_weather → 18°C and sunny; get_time → 14:05.',
      });
    });

    it('streams the same tool calls, their input assembled from input_json_delta', async () => {
      const anthropic = client();
      const params = { model: MODEL, max_tokens: 200, tools: TOOLS, messages: [QUESTION] };
      const whole = await anthropic.messages.create(params);
      const deltas: string[] = [];

      const stream = anthropic.messages.stream(params);
      stream.on('inputJson', (partial) => deltas.push(partial));
      const streamed = await stream.finalMessage();

      expect(streamed.content).toEqual(whole.content);
      expect(streamed.stop_reason).toBe('tool_use');
      expect(deltas.length).toBeGreaterThanOrEqual(4);
    });

    it('calls only the named tool, or one tool when parallel use is disabled', async () => {
      const anthropic = client();

      const named = await anthropic.messages.create({
        model: MODEL,
        max_tokens: 50,
        tools: TOOLS,
        tool_choice: { type: 'tool', name: 'get_time' },
        messages: [QUESTION],
      });
      const single = await anthropic.messages.create({
        model: MODEL,
        max_tokens: 50,
        tools: TOOLS,
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        messages: [QUESTION],
      });
      const none = await anthropic.messages.create({
        model: MODEL,
        max_tokens: 50,
        tools: TOOLS,
        tool_choice: { type: 'none' },
        messages: [QUESTION],
      });

      expect(named.content.map((block) => block.type === 'tool_use' && block.name)).toEqual([
        'get_time',
      ]);
      expect(single.content).toHaveLength(1);
      expect(none.content[0].type).toBe('text');
    });

    it('refuses tool results that answer no tool_use, as Anthropic does', async () => {
      const request = client().messages.create({
        model: MODEL,
        max_tokens: 50,
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_nowhere', content: 'x' }],
          },
        ],
      });

      await expect(request).rejects.toBeInstanceOf(BadRequestError);
    });
  });

  it.each([
    ['stop_sequences', { stop_sequences: [' for'] }, 'stop_sequence', 'Mock reply to 1 message(s)'],
    ['max_tokens', { max_tokens: 3 }, 'max_tokens', 'Mock reply to'],
  ])('stops at %s', async (_name, fields, stopReason, text) => {
    const message = await client().messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [QUESTION],
      ...fields,
    });

    expect(message.stop_reason).toBe(stopReason);
    expect(message.content).toEqual([{ type: 'text', text }]);
    expect(message.stop_sequence).toBe(stopReason === 'stop_sequence' ? ' for' : null);
  });

  it('answers structured output with JSON that fits the schema', async () => {
    const message = await client().messages.create({
      model: MODEL,
      max_tokens: 100,
      messages: [QUESTION],
      output_config: {
        format: {
          type: 'json_schema',
          schema: {
            type: 'object',
            properties: { answer: { type: 'string' }, score: { type: 'integer' } },
          },
        },
      },
    });

    const block = message.content[0];
    expect(block.type).toBe('text');
    expect(JSON.parse(block.type === 'text' ? block.text : '')).toEqual({
      answer: expect.stringMatching(/^answer-/),
      score: expect.any(Number),
    });
  });

  it('reports cache reads when the request marks a cache breakpoint', async () => {
    const message = await client().messages.create({
      model: MODEL,
      max_tokens: 10,
      system: [
        { type: 'text', text: 'A long shared prefix.', cache_control: { type: 'ephemeral' } },
      ],
      messages: [QUESTION],
    });

    expect(message.usage.cache_read_input_tokens).toBeGreaterThan(0);
  });

  it('counts tokens as the messages endpoint would', async () => {
    const anthropic = client();
    const params = { model: MODEL, system: 'Be brief.', messages: [QUESTION] };

    const counted = await anthropic.messages.countTokens(params);
    const message = await anthropic.messages.create({ ...params, max_tokens: 5 });

    expect(counted.input_tokens).toBe(message.usage.input_tokens);
  });

  describe('errors', () => {
    it('answers 401 authentication_error without a key', async () => {
      const response = await post(
        '/v1/messages',
        { model: MODEL, max_tokens: 5, messages: [QUESTION] },
        {
          'anthropic-version': '2023-06-01',
        },
      );

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        type: 'error',
        error: { type: 'authentication_error', message: expect.any(String) },
      });
    });

    it('answers 400 when anthropic-version is missing', async () => {
      const response = await post(
        '/v1/messages',
        { model: MODEL, max_tokens: 5, messages: [QUESTION] },
        { 'x-api-key': 'k' },
      );

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: {
          type: 'invalid_request_error',
          message: expect.stringContaining('anthropic-version'),
        },
      });
    });

    it.each([
      [
        'a missing max_tokens',
        { model: MODEL, messages: [QUESTION] },
        'max_tokens: Field required',
      ],
      ['malformed JSON', '{"model":', expect.any(String)],
    ])('answers 400 invalid_request_error for %s', async (_name, body, message) => {
      const response = await fetch(`${mock.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': 'k',
          'anthropic-version': '2023-06-01',
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        type: 'error',
        error: { type: 'invalid_request_error', message },
      });
    });

    it('makes a behaviour status an Anthropic error the SDK recognises', async () => {
      await mock.control('POST', '/_mock/behaviours', {
        apiKey: 'sk-ant-limited',
        status: 429,
        headers: { 'retry-after': '7' },
      });

      const error = await client('sk-ant-limited')
        .messages.create({ model: MODEL, max_tokens: 5, messages: [QUESTION] })
        .catch((reason: unknown) => reason);

      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).headers?.get('retry-after')).toBe('7');
      expect((error as RateLimitError).error).toMatchObject({
        type: 'error',
        error: { type: 'rate_limit_error' },
      });
    });

    it('ends a stream with an Anthropic error event in error-event mode', async () => {
      await mock.control('POST', '/_mock/behaviours', {
        failAfterChunks: 3,
        failMode: 'error-event',
      });

      const stream = client().messages.stream({
        model: MODEL,
        max_tokens: 50,
        messages: [QUESTION],
      });

      const error = await stream.finalMessage().catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).error).toMatchObject({ error: { type: 'overloaded_error' } });
    });

    it('rejects with AuthenticationError on a behaviour 401', async () => {
      await mock.control('POST', '/_mock/behaviours', { apiKey: 'sk-ant-revoked', status: 401 });

      const request = client('sk-ant-revoked').messages.create({
        model: MODEL,
        max_tokens: 5,
        messages: [QUESTION],
      });

      await expect(request).rejects.toBeInstanceOf(AuthenticationError);
    });
  });
});
