import OpenAI, {
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat';

import { RunningMockProvider, startMockProvider } from './mock-provider.process';

interface RecordedRequest {
  id: string;
  path: string;
  apiKey: string | null;
  model: string | null;
  body: { messages?: unknown };
  headers: Record<string, string>;
  status?: number;
  aborted?: boolean;
  abortedAt?: string;
}

const MESSAGES: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say something.' },
];

/** Polls `probe` until it returns a value, for at most `timeoutMs`. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 1_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

describe('MockProvider (e2e)', () => {
  let mock: RunningMockProvider;
  const client = (apiKey = 'sk-test-alpha'): OpenAI =>
    new OpenAI({ baseURL: `${mock.url}/v1`, apiKey, maxRetries: 0 });
  const recorded = async (apiKey?: string): Promise<RecordedRequest[]> => {
    const query = apiKey === undefined ? '' : `?apiKey=${encodeURIComponent(apiKey)}`;

    return (await mock.control('GET', `/_mock/requests${query}`)) as RecordedRequest[];
  };
  const behave = (rule: Record<string, unknown>): Promise<unknown> =>
    mock.control('POST', '/_mock/behaviours', rule);
  const drain = async (stream: AsyncIterable<ChatCompletionChunk>): Promise<void> => {
    for await (const chunk of stream) void chunk;
  };

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

  describe('OpenAI API', () => {
    it('answers a chat completion with a deterministic reply and usage', async () => {
      const completion = await client().chat.completions.create({
        model: 'gpt-4o',
        messages: MESSAGES,
      });

      expect(completion.object).toBe('chat.completion');
      expect(completion.model).toBe('gpt-4o');
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(completion.choices[0].message.role).toBe('assistant');
      expect(completion.choices[0].message.content).toMatch(
        /^Mock reply to 2 message\(s\) for gpt-4o: ([a-z]+ ){4}[a-z]+\.$/,
      );
      expect(completion.usage?.total_tokens).toBe(
        (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
      );
    });

    it('streams the same text as the non-streaming answer, with the usage chunk last', async () => {
      const openai = client();
      const completion = await openai.chat.completions.create({
        model: 'gpt-4o',
        messages: MESSAGES,
      });
      const stream = openai.chat.completions.stream({
        model: 'gpt-4o',
        messages: MESSAGES,
        stream_options: { include_usage: true },
      });
      const chunks: ChatCompletionChunk[] = [];

      for await (const chunk of stream) chunks.push(chunk);
      const streamed = await stream.finalChatCompletion();

      expect(streamed.choices[0].message.content).toBe(completion.choices[0].message.content);
      const contentChunks = chunks.filter((chunk) => chunk.choices[0]?.delta.content);
      expect(contentChunks).toHaveLength(completion.usage?.completion_tokens ?? -1);
      expect(chunks.at(-1)?.choices).toEqual([]);
      expect(chunks.at(-1)?.usage).toEqual(completion.usage);
      expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    });

    it('leaves usage out of a stream that did not ask for it', async () => {
      const stream = await client().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: MESSAGES,
        stream: true,
      });
      const chunks: ChatCompletionChunk[] = [];

      for await (const chunk of stream) chunks.push(chunk);

      expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
      expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
    });

    it('embeds text the same way in base64 (the SDK default) and float encodings', async () => {
      const openai = client();

      const base64 = await openai.embeddings.create({
        model: 'text-embedding-3-small',
        input: 'hi',
      });
      const floats = await openai.embeddings.create({
        model: 'text-embedding-3-small',
        input: 'hi',
        encoding_format: 'float',
      });

      expect(base64.object).toBe('list');
      expect(base64.data[0].embedding).toHaveLength(1536);
      expect(Array.from(base64.data[0].embedding)).toEqual(floats.data[0].embedding);
      expect(Math.hypot(...floats.data[0].embedding)).toBeCloseTo(1, 5);
      expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
    });

    it('embeds each input of an array, honouring dimensions', async () => {
      const result = await client().embeddings.create({
        model: 'text-embedding-3-large',
        input: ['alpha', 'beta', 'alpha'],
        dimensions: 8,
        encoding_format: 'float',
      });

      expect(result.data.map((item) => item.index)).toEqual([0, 1, 2]);
      expect(result.data.every((item) => item.embedding.length === 8)).toBe(true);
      expect(result.data[2].embedding).toEqual(result.data[0].embedding);
      expect(result.data[1].embedding).not.toEqual(result.data[0].embedding);
    });

    it('lists and retrieves models in OpenAI shapes', async () => {
      const openai = client();

      const page = await openai.models.list();
      const model = await openai.models.retrieve('gpt-4o');
      const missing = openai.models.retrieve('no-such-model');

      expect(page.data.map((item) => item.id)).toContain('gpt-4o');
      expect(model).toMatchObject({ id: 'gpt-4o', object: 'model' });
      await expect(missing).rejects.toBeInstanceOf(NotFoundError);
    });

    it('refuses an invalid request with a 400 naming the parameter', async () => {
      const request = client().chat.completions.create({ model: 'gpt-4o', messages: [] });

      await expect(request).rejects.toMatchObject({ status: 400, param: 'messages' });
      await expect(request).rejects.toBeInstanceOf(BadRequestError);
    });

    it('answers 401 in OpenAI error shape when no key is sent', async () => {
      const response = await fetch(`${mock.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: MESSAGES }),
      });

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: {
          message: expect.any(String),
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    });
  });

  describe('behaviours', () => {
    it('makes one key answer 429 with Retry-After while others still work', async () => {
      await behave({ apiKey: 'sk-test-limited', status: 429, headers: { 'retry-after': '30' } });

      const limited = client('sk-test-limited')
        .chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })
        .catch((reason: unknown) => reason);
      const other = await client('sk-test-other').chat.completions.create({
        model: 'gpt-4o',
        messages: MESSAGES,
      });

      const error = await limited;
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).headers?.get('retry-after')).toBe('30');
      expect((error as RateLimitError).code).toBe('rate_limit_exceeded');
      expect(other.choices[0].message.content).toContain('Mock reply');
    });

    it('applies a rule only `times` times', async () => {
      await behave({ apiKey: 'sk-test-revoked', status: 401, times: 1 });
      const openai = client('sk-test-revoked');

      const first = openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });
      await expect(first).rejects.toBeInstanceOf(AuthenticationError);
      const second = await openai.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES });

      expect(second.object).toBe('chat.completion');
    });

    it('waits delayMs before answering', async () => {
      await behave({ model: 'gpt-4o-mini', delayMs: 300 });
      const started = Date.now();

      await client().chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });

      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    });

    it('cuts a stream after failAfterChunks chunks', async () => {
      await behave({ failAfterChunks: 3 });
      const stream = await client().chat.completions.create({
        model: 'gpt-4o',
        messages: MESSAGES,
        stream: true,
      });

      await expect(drain(stream)).rejects.toThrow();
      const [record] = await recorded();
      expect(record.aborted).toBeUndefined();
    });

    it('ends a stream with an OpenAI error event in error-event mode', async () => {
      await behave({ failAfterChunks: 2, failMode: 'error-event' });
      const stream = await client().chat.completions.create({
        model: 'gpt-4o',
        messages: MESSAGES,
        stream: true,
      });

      await expect(drain(stream)).rejects.toBeInstanceOf(APIError);
    });
  });

  describe('recording', () => {
    it('records each request with the raw key, model, path and body', async () => {
      const { response } = await client('sk-test-alpha')
        .chat.completions.create({ model: 'gpt-4o', messages: MESSAGES })
        .withResponse();
      await client('sk-test-beta').embeddings.create({
        model: 'text-embedding-3-small',
        input: 'x',
      });

      const records = await recorded('sk-test-alpha');

      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        id: response.headers.get('x-request-id'),
        path: '/v1/chat/completions',
        apiKey: 'sk-test-alpha',
        model: 'gpt-4o',
        body: { messages: MESSAGES },
        status: 200,
      });
      expect(records[0].headers.authorization).toBe('Bearer sk-test-alpha');
      expect(await recorded()).toHaveLength(2);
    });

    it('forgets recorded requests when cleared', async () => {
      await client().models.list();

      await mock.control('DELETE', '/_mock/requests');

      expect(await recorded()).toEqual([]);
    });

    it('records a client abort while the answer is delayed', async () => {
      await behave({ apiKey: 'sk-test-slow', delayMs: 30_000 });
      const controller = new AbortController();
      const pending = client('sk-test-slow')
        .chat.completions.create(
          { model: 'gpt-4o', messages: MESSAGES },
          { signal: controller.signal },
        )
        .catch((reason: unknown) => reason);
      await eventually(async () => (await recorded('sk-test-slow'))[0]);

      controller.abort();

      expect(await pending).toBeInstanceOf(Error);
      const record = await eventually(async () =>
        (await recorded('sk-test-slow')).find((request) => request.aborted),
      );
      expect(Date.parse(record.abortedAt ?? '')).not.toBeNaN();
    });

    it('records a client abort in the middle of a stream', async () => {
      await behave({ apiKey: 'sk-test-stream', chunkDelayMs: 200 });
      const controller = new AbortController();
      const stream = await client('sk-test-stream').chat.completions.create(
        { model: 'gpt-4o', messages: MESSAGES, stream: true },
        { signal: controller.signal },
      );

      for await (const chunk of stream) {
        if (chunk.choices.length > 0) break;
      }
      controller.abort();

      const record = await eventually(async () =>
        (await recorded('sk-test-stream')).find((request) => request.aborted),
      );
      expect(record.status).toBe(200);
    });
  });
});
