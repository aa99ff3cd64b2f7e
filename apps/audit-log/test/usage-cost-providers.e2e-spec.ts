import Anthropic from '@anthropic-ai/sdk';
import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';

import { waitFor } from './audit-log.process';
import { MeteredTokens, PublishedPrice, expectedPico, usd } from './usage-arithmetic';

/** Anthropic's usage as it reports it: `input_tokens` excludes cache reads and writes. */
interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/** Gemini's usage metadata: the prompt count includes cached content, candidates exclude thoughts. */
interface GeminiUsage {
  promptTokenCount: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount: number;
  thoughtsTokenCount?: number;
  totalTokenCount: number;
}

type KeyType = 'anthropic' | 'gemini';

/** One kind of call: who calls, which key answers, streamed or not, and what it reports. */
interface UsageCase {
  model: string;
  key: KeyType;
  caller: 'openai' | 'anthropic';
  stream: boolean;
  usage: AnthropicUsage | GeminiUsage;
}

/** USD per million tokens as published (libs/pricing/src/official-prices.json, 2025-08-15). */
const PRICES: Record<string, PublishedPrice> = {
  'claude-sonnet-4-20250514': { input: '3.00', cached: '0.30', output: '15.00' },
  'claude-3-5-haiku-20241022': { input: '0.80', cached: '0.08', output: '4.00' },
  'claude-opus-4-1': { input: '15.00', cached: '1.50', output: '75.00' },
  'claude-3-7-sonnet-latest': { input: '3.00', cached: '0.30', output: '15.00' },
  'gemini-2.5-flash': { input: '0.30', cached: '0.075', output: '2.50' },
  'gemini-2.5-flash-lite': { input: '0.10', cached: '0.025', output: '0.40' },
  'gemini-2.0-flash': { input: '0.10', cached: '0.025', output: '0.40' },
  'gemini-2.5-pro': {
    input: '1.25',
    cached: '0.31',
    output: '10.00',
    longContext: { aboveInputTokens: 200_000, input: '2.50', cached: '0.625', output: '15.00' },
  },
};

const anthropicUsage = (input: number, write: number, read: number, output: number) => ({
  input_tokens: input,
  cache_creation_input_tokens: write,
  cache_read_input_tokens: read,
  output_tokens: output,
});

const geminiUsage = (prompt: number, cached: number, candidates: number, thoughts: number) => ({
  promptTokenCount: prompt,
  ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
  candidatesTokenCount: candidates,
  ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
  totalTokenCount: prompt + candidates + thoughts,
});

/** Every caller protocol on every key type, streamed and whole, with cache and thinking. */
const CASES: UsageCase[] = [
  {
    model: 'claude-sonnet-4-20250514',
    key: 'anthropic',
    caller: 'openai',
    stream: false,
    usage: anthropicUsage(200, 50, 1_000, 120),
  },
  {
    model: 'claude-3-5-haiku-20241022',
    key: 'anthropic',
    caller: 'openai',
    stream: true,
    usage: anthropicUsage(30, 0, 500, 77),
  },
  {
    model: 'claude-opus-4-1',
    key: 'anthropic',
    caller: 'anthropic',
    stream: true,
    usage: anthropicUsage(12, 300, 4_000, 640),
  },
  {
    model: 'claude-3-7-sonnet-latest',
    key: 'anthropic',
    caller: 'anthropic',
    stream: false,
    usage: anthropicUsage(9, 0, 0, 33),
  },
  {
    model: 'gemini-2.5-flash',
    key: 'gemini',
    caller: 'openai',
    stream: false,
    usage: geminiUsage(3_000, 2_048, 150, 600),
  },
  {
    model: 'gemini-2.5-flash-lite',
    key: 'gemini',
    caller: 'openai',
    stream: true,
    usage: geminiUsage(800, 512, 90, 40),
  },
  {
    model: 'gemini-2.0-flash',
    key: 'gemini',
    caller: 'anthropic',
    stream: true,
    usage: geminiUsage(64, 0, 21, 0),
  },
  {
    model: 'gemini-2.5-pro',
    key: 'gemini',
    caller: 'anthropic',
    stream: false,
    usage: geminiUsage(250_000, 100_000, 2_000, 1_500),
  },
];

/** The provider's own conventions, mapped by hand to input ⊇ cached and output ⊇ reasoning. */
function metered(call: UsageCase): MeteredTokens {
  if (call.key === 'anthropic') {
    const usage = call.usage as AnthropicUsage;

    return {
      input: usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens,
      cached: usage.cache_read_input_tokens,
      output: usage.output_tokens,
      reasoning: 0,
    };
  }
  const usage = call.usage as GeminiUsage;
  const thoughts = usage.thoughtsTokenCount ?? 0;

  return {
    input: usage.promptTokenCount,
    cached: usage.cachedContentTokenCount ?? 0,
    output: usage.candidatesTokenCount + thoughts,
    reasoning: thoughts,
  };
}

/** What the mock answers for a case, in the key's protocol, with the case's usage. */
function providerAnswer(call: UsageCase): { body: unknown; headers?: Record<string, string> } {
  const sse = { 'content-type': 'text/event-stream' };
  if (call.key === 'anthropic') {
    const usage = call.usage as AnthropicUsage;

    return call.stream
      ? { body: anthropicEvents(call.model, usage), headers: sse }
      : { body: anthropicMessage(call.model, usage) };
  }
  const usage = call.usage as GeminiUsage;

  return call.stream
    ? { body: geminiEvents(call.model, usage), headers: sse }
    : { body: geminiResponse(call.model, 'ok', 'STOP', usage) };
}

function anthropicMessage(model: string, usage: AnthropicUsage) {
  return {
    id: 'msg_usage',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: 'ok' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage,
  };
}

/**
 * Anthropic's stream: the input side in `message_start`, the output in `message_delta`. The
 * Opus case repeats every count in the delta, as newer API versions do (totals, not additions).
 */
function anthropicEvents(model: string, usage: AnthropicUsage): string {
  const event = (data: { type: string } & Record<string, unknown>): string =>
    `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
  const start = { ...anthropicMessage(model, { ...usage, output_tokens: 1 }), content: [] };
  const cumulative = model.includes('opus');

  return [
    event({ type: 'message_start', message: { ...start, stop_reason: null } }),
    event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } }),
    event({ type: 'content_block_stop', index: 0 }),
    event({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: cumulative ? usage : { output_tokens: usage.output_tokens },
    }),
    event({ type: 'message_stop' }),
  ].join('');
}

function geminiResponse(model: string, text: string, finish: string | null, usage: unknown) {
  return {
    candidates: [
      {
        content: { role: 'model', parts: [{ text }] },
        ...(finish ? { finishReason: finish } : {}),
        index: 0,
      },
    ],
    usageMetadata: usage,
    modelVersion: model,
    responseId: 'resp-usage',
  };
}

/** Gemini's stream: the prompt count on early events, the full usage on the last one. */
function geminiEvents(model: string, usage: GeminiUsage): string {
  const early = {
    promptTokenCount: usage.promptTokenCount,
    totalTokenCount: usage.promptTokenCount,
  };

  return [geminiResponse(model, 'o', null, early), geminiResponse(model, 'k', 'STOP', usage)]
    .map((response) => `data: ${JSON.stringify(response)}\r\n\r\n`)
    .join('');
}

// The whole router as processes, with an Anthropic and a Gemini key on the mock provider.
describe('usage and cost on Anthropic and Gemini keys equal what the provider reported (e2e)', () => {
  let stack: RunningStack;
  let openai: OpenAI;
  let anthropic: Anthropic;

  const admin = async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${stack.gatewayUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
    });

  const callOnce = async (call: UsageCase): Promise<void> => {
    const messages = [{ role: 'user' as const, content: `usage of ${call.model}` }];
    if (call.caller === 'openai') {
      if (!call.stream) {
        await openai.chat.completions.create({ model: call.model, messages });

        return;
      }
      const stream = await openai.chat.completions.create({
        model: call.model,
        messages,
        stream: true,
      });
      for await (const chunk of stream) void chunk;

      return;
    }
    const params = { model: call.model, max_tokens: 100, messages };
    if (call.stream) await anthropic.messages.stream(params).finalMessage();
    else await anthropic.messages.create(params);
  };

  beforeAll(async () => {
    stack = await startStack({
      isolate: true,
      withMockProvider: true,
      logLevel: 'warn',
      env: { 'audit-log': { AUDIT_ROLLUP_INTERVAL_MS: '500' } },
    });
    for (const [index, type] of (['anthropic', 'gemini'] as const).entries()) {
      const created = await admin('/x-keys', {
        method: 'POST',
        body: JSON.stringify({
          SecretKey: `${type}-usage-0123456789abcdef`,
          Name: `mock ${type}`,
          Level: index + 1,
          Provider: stack.mockProviderUrl,
          Status: true,
          Config: { provider_type: type },
        }),
      });
      expect(created.status).toBe(201);
    }
    const conf = await admin('/x-conf', {
      method: 'POST',
      body: JSON.stringify({ LevelMapper: 'claude*=1, gemini*=2' }),
    });
    expect(conf.status).toBe(200);
    for (const call of CASES) {
      const rule = await fetch(`${stack.mockProviderUrl}/_mock/behaviours`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: call.model, ...providerAnswer(call) }),
      });
      expect(rule.status).toBe(201);
    }
    openai = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
    anthropic = new Anthropic({ baseURL: stack.gatewayUrl, apiKey: stack.ownerKey, maxRetries: 0 });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('sums each model’s usage by kind and its cost at the price table', async () => {
    const calls = CASES.flatMap((call) => [call, call]);
    for (const call of calls) await callOnce(call);

    const usage = await waitFor(
      async () => {
        const response = await admin('/x-usage?group_by=model');
        const answer = (await response.json()) as {
          data: Record<string, unknown>[];
          total: { requests: number; cost_usd: string };
        };

        return answer.total.requests === calls.length ? answer : undefined;
      },
      30_000,
      'the usage rollups',
    );

    for (const call of CASES) {
      const tokens = metered(call);
      const row = usage.data.find((candidate) => candidate.key === call.model);
      expect(row).toEqual({
        key: call.model,
        requests: 2,
        errors: 0,
        input_tokens: 2 * tokens.input,
        cached_input_tokens: 2 * tokens.cached,
        output_tokens: 2 * tokens.output,
        reasoning_tokens: 2 * tokens.reasoning,
        cost_usd: usd(2n * expectedPico(PRICES[call.model], tokens)),
        unpriced_requests: 0,
      });
    }
    const all = calls.reduce(
      (total, call) => total + expectedPico(PRICES[call.model], metered(call)),
      0n,
    );
    expect(usage.total.cost_usd).toBe(usd(all));
  });

  it.each(CASES.map((call) => [call.model, call] as const))(
    'records each call of %s with the provider’s usage and its cost',
    async (_model, call) => {
      const response = await admin(`/x-audit?model=${call.model}`);
      const page = (await response.json()) as { data: Record<string, unknown>[] };
      const tokens = metered(call);

      expect(page.data).toHaveLength(2);
      for (const record of page.data) {
        expect(record).toMatchObject({
          providerType: call.key,
          stream: call.stream,
          promptTokens: tokens.input,
          cachedInputTokens: tokens.cached,
          completionTokens: tokens.output,
          reasoningTokens: tokens.reasoning,
          costUsd: usd(expectedPico(PRICES[call.model], tokens)),
          priceSource: 'table:2025-08-15',
          hasUsage: true,
        });
      }
    },
  );
});
