import { RunningStack, startStack } from '@xai/devstack';
import OpenAI, { APIError, BadRequestError } from 'openai';
import type { Completion } from 'openai/resources/completions';

import { AdminClient, eventually } from './admin-client';
import { MockControl } from './mock-control';
import { MockKeyType, addMockProviderKeys } from './mock-provider-keys';

const SECRETS: Record<MockKeyType, string> = {
  anthropic: 'sk-ant-canary-extras-0a1b2c3d4e5f',
  gemini: 'gm-canary-extras-9f8e7d6c5b4a',
  openai: 'sk-canary-extras-openai-1a2b3c4d',
};
const MODEL_OF = { anthropic: 'claude-x', gemini: 'gemini-x', openai: 'gpt-x' };

/** A recorded request body, as the mock provider received it. */
type Body = Record<string, unknown>;

function norm(vector: number[]): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

describe('Embeddings and legacy completions on every key type (e2e)', () => {
  let stack: RunningStack;
  let admin: AdminClient;
  let mock: MockControl;
  let openai: OpenAI;

  const lastBody = async (type: MockKeyType, path: string): Promise<Body | undefined> => {
    const response = await fetch(
      `${stack.mockProviderUrl}/_mock/requests?apiKey=${encodeURIComponent(SECRETS[type])}`,
    );
    const records = (await response.json()) as Array<{ path: string; body: Body }>;

    return records.filter((record) => record.path === path).at(-1)?.body;
  };
  const refusal = (call: Promise<unknown>): Promise<APIError> =>
    call.then(
      () => {
        throw new Error('the call was not refused');
      },
      (error: unknown) => error as APIError,
    );

  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true });
    admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    mock = new MockControl(stack.mockProviderUrl ?? '');
    openai = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
    await addMockProviderKeys(admin, stack.mockProviderUrl, SECRETS);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  describe('/v1/embeddings on a Gemini key', () => {
    const path = '/v1beta/models/gemini-x:batchEmbedContents';

    it('embeds through batchEmbedContents, answering OpenAI’s list (base64 as the SDK asks)', async () => {
      const { data, response } = await openai.embeddings
        .create({ model: MODEL_OF.gemini, input: ['alpha', 'beta', 'alpha'] })
        .withResponse();

      expect(data.object).toBe('list');
      expect(data.model).toBe('gemini-x');
      expect(data.data.map((item) => item.index)).toEqual([0, 1, 2]);
      for (const item of data.data) {
        expect(item.embedding).toHaveLength(768);
        expect(norm(item.embedding)).toBeCloseTo(1, 5);
      }
      expect(data.data[0].embedding).toEqual(data.data[2].embedding);
      expect(data.data[0].embedding).not.toEqual(data.data[1].embedding);
      expect(data.usage.prompt_tokens).toBeGreaterThan(0);
      expect(data.usage.total_tokens).toBe(data.usage.prompt_tokens);
      expect(await lastBody('gemini', path)).toEqual({
        requests: ['alpha', 'beta', 'alpha'].map((text) => ({
          model: 'models/gemini-x',
          content: { parts: [{ text }] },
        })),
      });
      const requestId = response.headers.get('x-request-id') ?? '';
      const audit = await eventually(async () => {
        const { json } = await admin.request('GET', `/x-audit?request_id=${requestId}`);
        const rows = json.data as Array<Record<string, unknown>>;

        return rows.length > 0 ? rows[0] : undefined;
      });
      expect(audit).toMatchObject({ status: 200, promptTokens: data.usage.prompt_tokens });
    });

    it('returns the same vectors as floats, and carries dimensions as outputDimensionality', async () => {
      const base64 = await openai.embeddings.create({ model: MODEL_OF.gemini, input: 'gamma' });
      const floats = await openai.embeddings.create({
        model: MODEL_OF.gemini,
        input: 'gamma',
        encoding_format: 'float',
      });
      const short = await openai.embeddings.create({
        model: MODEL_OF.gemini,
        input: 'gamma',
        dimensions: 256,
      });

      expect(floats.data[0].embedding).toEqual(base64.data[0].embedding);
      expect(short.data[0].embedding).toHaveLength(256);
      expect(await lastBody('gemini', path)).toMatchObject({
        requests: [{ outputDimensionality: 256 }],
      });
    });

    it.each([
      ['token ids', { input: [[1, 2, 3]] }],
      ['more than 100 inputs', { input: Array.from({ length: 101 }, (_, i) => `text ${i}`) }],
    ])('refuses %s with a 400 naming input, calling no provider', async (_, extra) => {
      const before = (await mock.requests(SECRETS.gemini)).length;

      const error = await refusal(openai.embeddings.create({ model: MODEL_OF.gemini, ...extra }));

      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.param).toBe('input');
      expect((await mock.requests(SECRETS.gemini)).length).toBe(before);
    });
  });

  it('refuses /v1/embeddings on an Anthropic key with a 400 saying Anthropic has none', async () => {
    const before = (await mock.requests(SECRETS.anthropic)).length;

    const error = await refusal(openai.embeddings.create({ model: 'claude-x', input: 'Hi' }));

    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain('Anthropic has no embeddings API');
    expect(error.param).toBe('model');
    expect((await mock.requests(SECRETS.anthropic)).length).toBe(before);
  });

  describe.each(['openai', 'anthropic', 'gemini'] as const)(
    '/v1/completions on a %s key',
    (type) => {
      const model = MODEL_OF[type];

      it('answers a text_completion, streamed or not, with the same text', async () => {
        const whole = await openai.completions.create({ model, prompt: 'Say hi', max_tokens: 200 });
        const stream = await openai.completions.create({
          model,
          prompt: 'Say hi',
          max_tokens: 200,
          stream: true,
          stream_options: { include_usage: true },
        });
        const chunks: Completion[] = [];
        for await (const chunk of stream) chunks.push(chunk);

        expect(whole.object).toBe('text_completion');
        expect(whole.id).toMatch(/^cmpl-/);
        expect(whole.choices[0].text).toMatch(
          new RegExp(`^Mock reply to 1 message\\(s\\) for ${model}`),
        );
        expect(whole.choices[0].finish_reason).toBe('stop');
        expect(whole.usage?.prompt_tokens).toBeGreaterThan(0);
        expect(chunks.every((chunk) => chunk.object === 'text_completion')).toBe(true);
        expect(chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('')).toBe(
          whole.choices[0].text,
        );
        expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
      });

      it('hides the usage chunk from a stream that did not ask for it', async () => {
        const stream = await openai.completions.create({ model, prompt: 'Hi', stream: true });
        const chunks: Completion[] = [];
        for await (const chunk of stream) chunks.push(chunk);

        expect(chunks.length).toBeGreaterThan(0);
        expect(chunks.some((chunk) => chunk.usage)).toBe(false);
      });
    },
  );

  it.each([
    ['anthropic', '/v1/messages', (body: Body) => body.max_tokens],
    [
      'gemini',
      '/v1beta/models/gemini-x:generateContent',
      (body: Body) => (body.generationConfig as Body | undefined)?.maxOutputTokens,
    ],
  ] as const)(
    'sends the prompt as one user turn to a %s key, with OpenAI’s default of 16 tokens',
    async (type, path, limitOf) => {
      await openai.completions.create({ model: MODEL_OF[type], prompt: 'Once upon a time' });

      const body = (await lastBody(type, path)) ?? {};

      expect(limitOf(body)).toBe(16);
      expect(JSON.stringify(body)).toContain('Once upon a time');
    },
  );

  it.each([
    ['suffix', { suffix: ' the end' }],
    ['echo', { echo: true }],
    ['n', { n: 2 }],
    ['prompt', { prompt: ['one', 'two'] }],
  ])('refuses %s on a translated key with a 400 naming it', async (field, extra) => {
    const error = await refusal(
      openai.completions.create({ model: 'claude-x', prompt: 'Hi', ...extra } as never),
    );

    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.param).toBe(field);
    expect(error.message).toContain(field);
  });
});
