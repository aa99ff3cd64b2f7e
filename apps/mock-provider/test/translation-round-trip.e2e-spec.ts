import Anthropic from '@anthropic-ai/sdk';
import type { ProviderType } from '@xai/providers';
import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';

import { RecordedRequest } from '../src/recording/request-recorder';
import { RunningMockProvider, startMockProvider } from './mock-provider.process';
import { RunningBridge, startTranslationBridge } from './translation-bridge';

const SECRET = 'sk-provider-secret-0001';
const MODEL = 'model-x';
const RESULTS: Record<string, string> = { get_weather: '18°C', get_time: '14:05' };
const EXPECTED_ANSWER = `Mock reply using 2 tool result(s) for ${MODEL}: get_weather → 18°C; get_time → 14:05.`;
const SCHEMAS: Record<
  string,
  { type: 'object'; properties: Record<string, unknown>; required?: string[] }
> = {
  get_weather: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  get_time: { type: 'object', properties: { zone: { type: 'string' } } },
};

/** What a round trip looked like from the caller's SDK. */
interface ToolRoundTrip {
  names: string[];
  ids: string[];
  answer: string;
}

/** One caller SDK talking to the bridge. */
interface Caller {
  text(stream: boolean): Promise<string>;
  toolRoundTrip(stream: boolean): Promise<ToolRoundTrip>;
  /** Sends a request with a field no other protocol can express. */
  untranslatable(): Promise<unknown>;
}

function openAiCaller(baseURL: string): Caller {
  const openai = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'xai-virtual', maxRetries: 0 });
  const tools: ChatCompletionTool[] = Object.entries(SCHEMAS).map(([name, parameters]) => ({
    type: 'function',
    function: { name, parameters },
  }));
  const complete = async (
    messages: ChatCompletionMessageParam[],
    stream: boolean,
  ): Promise<ChatCompletion> =>
    stream
      ? openai.chat.completions
          .stream({ model: MODEL, messages, tools, max_completion_tokens: 200 })
          .finalChatCompletion()
      : openai.chat.completions.create({
          model: MODEL,
          messages,
          tools,
          max_completion_tokens: 200,
        });

  return {
    async text(stream) {
      const messages: ChatCompletionMessageParam[] = [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ];
      const completion = stream
        ? await openai.chat.completions
            .stream({ model: MODEL, messages, stream_options: { include_usage: true } })
            .finalChatCompletion()
        : await openai.chat.completions.create({ model: MODEL, messages });
      expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);

      return completion.choices[0].message.content ?? '';
    },
    async toolRoundTrip(stream) {
      const question: ChatCompletionMessageParam = { role: 'user', content: 'Weather and time?' };
      const first = await complete([question], stream);
      const calls = (first.choices[0].message.tool_calls ?? []).flatMap((call) =>
        call.type === 'function' ? [call] : [],
      );
      expect(first.choices[0].finish_reason).toBe('tool_calls');
      const results: ChatCompletionMessageParam[] = calls.map((call) => ({
        role: 'tool',
        tool_call_id: call.id,
        content: RESULTS[call.function.name],
      }));
      const second = await complete([question, first.choices[0].message, ...results], stream);

      return {
        names: calls.map((call) => call.function.name),
        ids: calls.map((call) => call.id),
        answer: second.choices[0].message.content ?? '',
      };
    },
    untranslatable: () =>
      openai.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'x' }],
        logprobs: true,
      }),
  };
}

function anthropicCaller(baseURL: string): Caller {
  const anthropic = new Anthropic({ baseURL, apiKey: 'xai-virtual', maxRetries: 0 });
  const tools: Anthropic.Tool[] = Object.entries(SCHEMAS).map(([name, input_schema]) => ({
    name,
    input_schema,
  }));
  const complete = (
    messages: Anthropic.MessageParam[],
    stream: boolean,
  ): Promise<Anthropic.Message> =>
    stream
      ? anthropic.messages.stream({ model: MODEL, max_tokens: 200, messages, tools }).finalMessage()
      : anthropic.messages.create({ model: MODEL, max_tokens: 200, messages, tools });
  const textOf = (message: Anthropic.Message): string =>
    message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');

  return {
    async text(stream) {
      const params = {
        model: MODEL,
        max_tokens: 200,
        system: 'Be brief.',
        messages: [{ role: 'user' as const, content: 'Hello' }],
      };
      const message = stream
        ? await anthropic.messages.stream(params).finalMessage()
        : await anthropic.messages.create(params);
      expect(message.usage.input_tokens).toBeGreaterThan(0);

      return textOf(message);
    },
    async toolRoundTrip(stream) {
      const question: Anthropic.MessageParam = { role: 'user', content: 'Weather and time?' };
      const first = await complete([question], stream);
      const uses = first.content.filter(
        (block): block is Anthropic.ToolUseBlock => block.type === 'tool_use',
      );
      expect(first.stop_reason).toBe('tool_use');
      const results: Anthropic.ToolResultBlockParam[] = uses.map((use) => ({
        type: 'tool_result',
        tool_use_id: use.id,
        content: RESULTS[use.name],
      }));
      const second = await complete(
        [
          question,
          { role: 'assistant', content: first.content },
          { role: 'user', content: results },
        ],
        stream,
      );

      return {
        names: uses.map((use) => use.name),
        ids: uses.map((use) => use.id),
        answer: textOf(second),
      };
    },
    untranslatable: () =>
      anthropic.messages.create({
        model: MODEL,
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
        container: 'container-1',
      }),
  };
}

const PAIRS: [string, (url: string) => Caller, ProviderType, string][] = [
  ['OpenAI SDK → Anthropic provider', openAiCaller, 'anthropic', '/v1/messages'],
  [
    'OpenAI SDK → Gemini provider',
    openAiCaller,
    'gemini',
    `/v1beta/models/${MODEL}:generateContent`,
  ],
  ['Anthropic SDK → OpenAI provider', anthropicCaller, 'openai', '/v1/chat/completions'],
  [
    'Anthropic SDK → Gemini provider',
    anthropicCaller,
    'gemini',
    `/v1beta/models/${MODEL}:generateContent`,
  ],
];

describe('Translation through @xai/providers against the mock provider (e2e)', () => {
  let mock: RunningMockProvider;

  beforeAll(async () => {
    mock = await startMockProvider();
  });

  afterAll(async () => {
    await mock?.stop();
  });

  describe.each(PAIRS)('%s', (_name, makeCaller, type, nativePath) => {
    let bridge: RunningBridge;
    let caller: Caller;
    const lastRecord = async (): Promise<RecordedRequest | undefined> =>
      ((await mock.control('GET', `/_mock/requests?apiKey=${SECRET}`)) as RecordedRequest[]).at(-1);
    /** What the mock itself answers to the body it received, read in its own protocol. */
    const nativeText = async (record: RecordedRequest): Promise<string> => {
      const response = await fetch(`${mock.url}${nativePath}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${SECRET}`,
          'x-api-key': SECRET,
          'x-goog-api-key': SECRET,
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify({ ...(record.body as object), stream: false }),
      });
      const body: unknown = await response.json();
      if (type === 'openai') return (body as ChatCompletion).choices[0].message.content ?? '';
      if (type === 'anthropic')
        return (body as Anthropic.Message).content
          .map((block) => (block.type === 'text' ? block.text : ''))
          .join('');

      return (
        body as { candidates: { content: { parts: { text?: string }[] } }[] }
      ).candidates[0].content.parts
        .map((part) => part.text ?? '')
        .join('');
    };

    beforeAll(async () => {
      bridge = await startTranslationBridge(type, { baseUrl: mock.url, secret: SECRET });
      caller = makeCaller(bridge.url);
    });

    afterAll(async () => {
      await bridge?.close();
    });

    beforeEach(async () => {
      await mock.control('DELETE', '/_mock/requests');
    });

    it.each([false, true])('delivers the mock’s text unchanged (stream: %s)', async (stream) => {
      const text = await caller.text(stream);

      const record = await lastRecord();
      expect(record).toBeDefined();
      expect(text).toBe(await nativeText(record as RecordedRequest));
      expect(text).toMatch(/^Mock reply to \d message\(s\) for model-x: /);
    });

    it.each([false, true])(
      'completes a tool round trip with two parallel calls (stream: %s)',
      async (stream) => {
        const trip = await caller.toolRoundTrip(stream);

        expect(trip.names).toEqual(['get_weather', 'get_time']);
        expect(new Set(trip.ids).size).toBe(2);
        expect(trip.answer).toBe(EXPECTED_ANSWER);
      },
    );

    it('refuses an untranslatable field with a 400 the SDK raises, without calling the provider', async () => {
      const error = (await caller.untranslatable().catch((reason: unknown) => reason)) as {
        status?: number;
      };

      expect(error.status).toBe(400);
      expect(await lastRecord()).toBeUndefined();
    });

    it('turns a provider 429 into the caller’s rate-limit error', async () => {
      await mock.control('POST', '/_mock/behaviours', { apiKey: SECRET, status: 429, times: 1 });

      const error = (await caller.text(false).catch((reason: unknown) => reason)) as {
        status?: number;
      };

      expect(error.status).toBe(429);
    });

    it('ends a stream the provider broke with an error the SDK raises', async () => {
      await mock.control('POST', '/_mock/behaviours', {
        apiKey: SECRET,
        failAfterChunks: 2,
        failMode: 'error-event',
        times: 1,
      });

      const outcome = await caller.text(true).then(
        () => 'completed',
        (reason: unknown) => reason,
      );

      expect(outcome).toBeInstanceOf(Error);
    });

    it('sends the provider key in the provider’s own header', async () => {
      await caller.text(false);

      const record = await lastRecord();
      expect(record?.apiKey).toBe(SECRET);
      expect(JSON.stringify(record?.headers)).not.toContain('xai-virtual');
    });
  });
});
