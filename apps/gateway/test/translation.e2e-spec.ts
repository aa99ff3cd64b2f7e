import Anthropic from '@anthropic-ai/sdk';
import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';

import { AdminClient, eventually } from './admin-client';
import { addMockProviderKeys } from './mock-provider-keys';

interface MockRecord {
  path: string;
  apiKey: string | null;
  model: string | null;
  headers: Record<string, unknown>;
}

const SECRETS = {
  anthropic: 'sk-ant-canary-translation-0a1b2c3d4e5f',
  gemini: 'gm-canary-translation-9f8e7d6c5b4a',
  openai: 'sk-canary-translation-openai-1a2b3c4d',
};
const HEADER_OF = { anthropic: 'x-api-key', gemini: 'x-goog-api-key', openai: 'authorization' };
const MODEL_OF = { anthropic: 'claude-x', gemini: 'gemini-x', openai: 'gpt-x' };
const RESULTS: Record<string, string> = { get_weather: '18°C', get_time: '14:05' };
const SCHEMAS = {
  get_weather: { type: 'object' as const, properties: { city: { type: 'string' } } },
  get_time: { type: 'object' as const, properties: { zone: { type: 'string' } } },
};

type KeyType = keyof typeof SECRETS;

/** What one caller SDK saw of a call. */
interface Answer {
  text: string;
  requestId: string;
}

interface Caller {
  text(model: string, stream: boolean): Promise<Answer>;
  toolRoundTrip(model: string, stream: boolean): Promise<{ names: string[]; answer: string }>;
}

function openAiCaller(baseURL: string, apiKey: string): Caller {
  const openai = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey, maxRetries: 0 });
  const tools: ChatCompletionTool[] = Object.entries(SCHEMAS).map(([name, parameters]) => ({
    type: 'function',
    function: { name, parameters },
  }));
  const complete = async (
    model: string,
    messages: ChatCompletionMessageParam[],
    stream: boolean,
  ): Promise<ChatCompletion> =>
    stream
      ? openai.chat.completions.stream({ model, messages, tools }).finalChatCompletion()
      : openai.chat.completions.create({ model, messages, tools });

  return {
    async text(model, stream) {
      const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hello' }];
      if (stream) {
        const { data, response } = await openai.chat.completions
          .create({ model, messages, stream: true })
          .withResponse();
        let text = '';
        for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';

        return { text, requestId: response.headers.get('x-request-id') ?? '' };
      }
      const { data, response } = await openai.chat.completions
        .create({ model, messages })
        .withResponse();

      return {
        text: data.choices[0].message.content ?? '',
        requestId: response.headers.get('x-request-id') ?? '',
      };
    },
    async toolRoundTrip(model, stream) {
      const question: ChatCompletionMessageParam = { role: 'user', content: 'Weather and time?' };
      const first = await complete(model, [question], stream);
      const calls = (first.choices[0].message.tool_calls ?? []).flatMap((call) =>
        call.type === 'function' ? [call] : [],
      );
      const results: ChatCompletionMessageParam[] = calls.map((call) => ({
        role: 'tool',
        tool_call_id: call.id,
        content: RESULTS[call.function.name],
      }));
      const second = await complete(
        model,
        [question, first.choices[0].message, ...results],
        stream,
      );

      return {
        names: calls.map((call) => call.function.name),
        answer: second.choices[0].message.content ?? '',
      };
    },
  };
}

function anthropicCaller(baseURL: string, apiKey: string): Caller {
  const anthropic = new Anthropic({ baseURL, apiKey, maxRetries: 0 });
  const tools: Anthropic.Tool[] = Object.entries(SCHEMAS).map(([name, input_schema]) => ({
    name,
    input_schema,
  }));
  const textOf = (message: Anthropic.Message): string =>
    message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  const complete = (
    model: string,
    messages: Anthropic.MessageParam[],
    stream: boolean,
  ): Promise<Anthropic.Message> =>
    stream
      ? anthropic.messages.stream({ model, max_tokens: 200, messages, tools }).finalMessage()
      : anthropic.messages.create({ model, max_tokens: 200, messages, tools });

  return {
    async text(model, stream) {
      const params = {
        model,
        max_tokens: 200,
        messages: [{ role: 'user' as const, content: 'Hi' }],
      };
      if (stream) {
        const runner = anthropic.messages.stream(params);
        const message = await runner.finalMessage();
        const { response } = await runner.withResponse();

        return { text: textOf(message), requestId: response.headers.get('x-request-id') ?? '' };
      }
      const { data, response } = await anthropic.messages.create(params).withResponse();

      return { text: textOf(data), requestId: response.headers.get('x-request-id') ?? '' };
    },
    async toolRoundTrip(model, stream) {
      const question: Anthropic.MessageParam = { role: 'user', content: 'Weather and time?' };
      const first = await complete(model, [question], stream);
      const uses = first.content.filter(
        (block): block is Anthropic.ToolUseBlock => block.type === 'tool_use',
      );
      const results: Anthropic.ToolResultBlockParam[] = uses.map((use) => ({
        type: 'tool_result',
        tool_use_id: use.id,
        content: RESULTS[use.name],
      }));
      const second = await complete(
        model,
        [
          question,
          { role: 'assistant', content: first.content },
          { role: 'user', content: results },
        ],
        stream,
      );

      return { names: uses.map((use) => use.name), answer: textOf(second) };
    },
  };
}

const PAIRS: [string, typeof openAiCaller, KeyType][] = [
  ['OpenAI SDK → Anthropic key', openAiCaller, 'anthropic'],
  ['OpenAI SDK → Gemini key', openAiCaller, 'gemini'],
  ['Anthropic SDK → OpenAI key', anthropicCaller, 'openai'],
  ['Anthropic SDK → Gemini key', anthropicCaller, 'gemini'],
  ['Anthropic SDK → Anthropic key (pass-through)', anthropicCaller, 'anthropic'],
];

describe('protocol translation through the gateway (e2e)', () => {
  let stack: RunningStack;
  let admin: AdminClient;
  const records = async (type: KeyType): Promise<MockRecord[]> => {
    const response = await fetch(`${stack.mockProviderUrl}/_mock/requests?apiKey=${SECRETS[type]}`);

    return (await response.json()) as MockRecord[];
  };

  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true });
    admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    await addMockProviderKeys(admin, stack.mockProviderUrl, SECRETS);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  describe.each(PAIRS)('%s', (_name, makeCaller, type) => {
    let caller: Caller;

    beforeAll(() => {
      caller = makeCaller(stack.gatewayUrl, stack.ownerKey);
    });

    it.each([false, true])('answers with the mock’s text, metered (stream: %s)', async (stream) => {
      const answer = await caller.text(MODEL_OF[type], stream);

      expect(answer.text).toMatch(
        new RegExp(`^Mock reply to \\d message\\(s\\) for ${MODEL_OF[type]}`),
      );
      const record = await eventually(async () => {
        const { json } = await admin.request('GET', `/x-audit?request_id=${answer.requestId}`);
        const data = json.data as Array<Record<string, unknown>>;

        return data.length > 0 ? data[0] : undefined;
      });
      expect(record).toMatchObject({ requestId: answer.requestId, status: 200 });
      expect(record.totalTokens).toBeGreaterThan(0);
    });

    it.each([false, true])(
      'completes a tool round trip with two parallel calls (stream: %s)',
      async (stream) => {
        const trip = await caller.toolRoundTrip(MODEL_OF[type], stream);

        expect(trip.names).toEqual(['get_weather', 'get_time']);
        expect(trip.answer).toContain('get_weather → 18°C; get_time → 14:05');
      },
    );

    it('sends the provider key in the provider’s own header, never the virtual key', async () => {
      await caller.text(MODEL_OF[type], false);

      const record = (await records(type)).at(-1);
      expect(record?.apiKey).toBe(SECRETS[type]);
      expect(String(record?.headers[HEADER_OF[type]])).toContain(SECRETS[type]);
      expect(JSON.stringify(record?.headers)).not.toContain(stack.ownerKey);
    });
  });

  it('counts tokens for an Anthropic caller on a Gemini key', async () => {
    const anthropic = new Anthropic({
      baseURL: stack.gatewayUrl,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });

    const count = await anthropic.messages.countTokens({
      model: MODEL_OF.gemini,
      messages: [{ role: 'user', content: 'How many tokens is this?' }],
    });

    expect(count.input_tokens).toBeGreaterThan(0);
  });

  it('answers an Anthropic caller’s errors in Anthropic’s shape, with the request id', async () => {
    const response = await fetch(`${stack.gatewayUrl}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': 'not-a-key',
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: 'claude-x', max_tokens: 5, messages: [] }),
    });

    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(401);
    expect(body).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: expect.any(String) },
      request_id: response.headers.get('x-request-id'),
    });
  });

  it('refuses a field the key’s protocol cannot express with a 400 the SDK raises', async () => {
    const openai = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
    const before = (await records('anthropic')).length;

    const error = (await openai.chat.completions
      .create({
        model: MODEL_OF.anthropic,
        messages: [{ role: 'user', content: 'x' }],
        logprobs: true,
      })
      .catch((reason: unknown) => reason)) as { status?: number };

    expect(error.status).toBe(400);
    expect((await records('anthropic')).length).toBe(before);
  });
});
