import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';
import type {
  FunctionTool,
  Response,
  ResponseInputItem,
  ResponseCreateParamsNonStreaming,
} from 'openai/resources/responses/responses';

import { AdminClient, eventually } from './admin-client';
import { addMockProviderKeys } from './mock-provider-keys';

interface MockRecord {
  path: string;
  apiKey: string | null;
  model: string | null;
  body: unknown;
}

const SECRETS = {
  anthropic: 'sk-ant-canary-responses-0a1b2c3d4e5f',
  gemini: 'gm-canary-responses-9f8e7d6c5b4a',
  openai: 'sk-canary-responses-openai-1a2b3c4d',
};
const MODEL_OF = { anthropic: 'claude-x', gemini: 'gemini-x', openai: 'gpt-x' };
/** Where a streamed call reaches each mock provider. */
const STREAM_PATH = {
  anthropic: '/v1/messages',
  gemini: '/v1beta/models/gemini-x:streamGenerateContent',
  openai: '/v1/responses',
};
const RESULTS: Record<string, string> = { get_weather: '18°C', get_time: '14:05' };
const TOOLS: FunctionTool[] = [
  {
    type: 'function',
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
    strict: false,
  },
  {
    type: 'function',
    name: 'get_time',
    parameters: { type: 'object', properties: { zone: { type: 'string' } } },
    strict: false,
  },
];

type KeyType = keyof typeof SECRETS;

/** The text of a response's messages, as the SDK's `output_text` joins it. */
function textOf(response: Response): string {
  return response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}

/** The audit record of a request, once the audit log has it. */
type AuditRecord = Record<string, unknown>;

describe('OpenAI Responses API through the gateway (e2e)', () => {
  let stack: RunningStack;
  let admin: AdminClient;
  let openai: OpenAI;

  const records = async (type: KeyType): Promise<MockRecord[]> => {
    const response = await fetch(`${stack.mockProviderUrl}/_mock/requests?apiKey=${SECRETS[type]}`);

    return (await response.json()) as MockRecord[];
  };
  const auditOf = (requestId: string): Promise<AuditRecord> =>
    eventually(async () => {
      const { json } = await admin.request('GET', `/x-audit?request_id=${requestId}`);
      const data = json.data as AuditRecord[];

      return data.length > 0 ? data[0] : undefined;
    });

  /** One non-streamed call, with the request id the router answered with. */
  const create = async (params: ResponseCreateParamsNonStreaming) => {
    const { data, response } = await openai.responses.create(params).withResponse();

    return { response: data, requestId: response.headers.get('x-request-id') ?? '' };
  };

  /** One call streamed with `stream: true`: the text of the deltas and the final response. */
  const streamed = async (params: ResponseCreateParamsNonStreaming) => {
    const { data, response } = await openai.responses
      .create({ ...params, stream: true })
      .withResponse();
    let text = '';
    let final: Response | undefined;
    const types: string[] = [];
    for await (const event of data) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') final = event.response;
    }
    if (!final) throw new Error(`no response.completed among ${types.join(', ')}`);

    return { text, final, types, requestId: response.headers.get('x-request-id') ?? '' };
  };

  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true });
    admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    openai = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
    await addMockProviderKeys(admin, stack.mockProviderUrl, SECRETS, {
      ModelMapper: 'gpt-alias=gpt-x',
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  describe.each(['openai', 'anthropic', 'gemini'] as const)('on a mock %s key', (type) => {
    const model = MODEL_OF[type];
    const question = { model, instructions: 'Be brief.', input: 'Hello there' };

    it('answers with the mock’s text, streamed or not, and audits the usage it reported', async () => {
      const whole = await create(question);
      const stream = await streamed(question);
      const helper = await openai.responses.stream(question).finalResponse();

      expect(whole.response.output_text).toMatch(
        new RegExp(`^Mock reply to \\d message\\(s\\) for ${model}`),
      );
      expect(stream.text).toBe(whole.response.output_text);
      expect(textOf(stream.final)).toBe(whole.response.output_text);
      expect(helper.output_text).toBe(whole.response.output_text);
      expect(stream.types[0]).toBe('response.created');
      expect((await records(type)).at(-1)?.path).toBe(STREAM_PATH[type]);
      for (const call of [whole, { response: stream.final, requestId: stream.requestId }]) {
        const usage = call.response.usage;
        expect(await auditOf(call.requestId)).toMatchObject({
          status: 200,
          promptTokens: usage?.input_tokens,
          completionTokens: usage?.output_tokens,
          totalTokens: usage?.total_tokens,
        });
        expect(usage?.input_tokens).toBeGreaterThan(0);
      }
    });

    it.each([false, true])(
      'completes a tool round trip with two parallel calls (stream: %s)',
      async (stream) => {
        const ask = (input: ResponseInputItem[]): Promise<Response> =>
          stream
            ? openai.responses.stream({ model, input, tools: TOOLS }).finalResponse()
            : openai.responses.create({ model, input, tools: TOOLS });
        const user: ResponseInputItem = { role: 'user', content: 'Weather and time?' };

        const first = await ask([user]);
        const calls = first.output.flatMap((item) => (item.type === 'function_call' ? [item] : []));
        const results: ResponseInputItem[] = calls.map((call) => ({
          type: 'function_call_output',
          call_id: call.call_id,
          output: RESULTS[call.name],
        }));
        const second = await ask([user, ...calls, ...results]);

        expect(calls.map((call) => call.name)).toEqual(['get_weather', 'get_time']);
        expect(new Set(calls.map((call) => call.call_id)).size).toBe(2);
        expect(calls.map((call) => typeof JSON.parse(call.arguments))).toEqual([
          'object',
          'object',
        ]);
        expect(second.output_text).toContain('get_weather → 18°C; get_time → 14:05');
      },
    );
  });

  describe('pass-through to an OpenAI key', () => {
    it('forwards the body untouched apart from the mapped model, unknown fields included', async () => {
      const body = {
        model: 'gpt-alias',
        input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }],
        x_vendor_extension: { keep: [1, 'two', null] },
        store: true,
        include: ['message.output_text.logprobs'],
      };

      const response = await fetch(`${stack.gatewayUrl}/v1/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

      expect(response.status).toBe(200);
      expect(((await response.json()) as { model: string }).model).toBe('gpt-x');
      expect((await records('openai')).at(-1)?.body).toEqual({ ...body, model: 'gpt-x' });
    });

    it.each([false, true])(
      'audits cached and reasoning tokens as the provider reported them (stream: %s)',
      async (stream) => {
        const params = {
          model: MODEL_OF.openai,
          input: 'Think about caching, please.',
          prompt_cache_key: 'cache-1',
          reasoning: { effort: 'low' as const },
        };

        const call = stream
          ? await streamed(params).then((result) => ({ ...result, response: result.final }))
          : await create(params);

        const usage = call.response.usage;
        expect(usage?.input_tokens_details.cached_tokens).toBeGreaterThan(0);
        expect(usage?.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
        expect(await auditOf(call.requestId)).toMatchObject({
          promptTokens: usage?.input_tokens,
          cachedInputTokens: usage?.input_tokens_details.cached_tokens,
          completionTokens: usage?.output_tokens,
          reasoningTokens: usage?.output_tokens_details.reasoning_tokens,
        });
      },
    );

    it('leaves stored-state fields to the provider (previous_response_id reaches it)', async () => {
      const error = (await openai.responses
        .create({ model: MODEL_OF.openai, input: 'Go on', previous_response_id: 'resp_unknown' })
        .catch((reason: unknown) => reason)) as { status?: number; code?: string };

      expect(error.status).toBe(404);
      expect(error.code).toBe('previous_response_not_found');
      expect((await records('openai')).at(-1)?.body).toMatchObject({
        previous_response_id: 'resp_unknown',
      });
    });
  });

  describe.each(['anthropic', 'gemini'] as const)('refusals on a mock %s key', (type) => {
    it.each([
      ['tools.0.type', { tools: [{ type: 'web_search' as const }] }],
      ['previous_response_id', { previous_response_id: 'resp_1' }],
      ['store', { store: true }],
    ])('refuses %s with a 400 the SDK raises, calling no provider', async (field, extra) => {
      const before = (await records(type)).length;

      const error = (await openai.responses
        .create({ model: MODEL_OF[type], input: 'Hi', ...extra })
        .catch((reason: unknown) => reason)) as {
        status?: number;
        param?: string;
        message?: string;
      };

      expect(error.status).toBe(400);
      expect(error.param).toBe(field);
      expect(error.message).toContain(field);
      expect((await records(type)).length).toBe(before);
    });
  });
});
