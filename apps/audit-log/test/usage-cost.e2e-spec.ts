import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';
import { Client } from 'pg';

import { waitFor } from './audit-log.process';
import { PublishedPrice, expectedPico as picoAt, usd } from './usage-arithmetic';

/** Usage as the provider reported it, in OpenAI's field names. */
interface ReportedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

interface UsageRowView {
  key: string;
  requests: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_usd: string;
  unpriced_requests: number;
}

/** USD per million tokens, as published (libs/pricing/src/official-prices.json, 2025-08-15). */
const PRICES: Record<string, PublishedPrice> = {
  'gpt-4o': { input: '2.50', cached: '1.25', output: '10.00' },
  'gpt-4o-mini': { input: '0.15', cached: '0.075', output: '0.60' },
  'o4-mini': { input: '1.10', cached: '0.275', output: '4.40' },
};

/** The cost arithmetic written out independently of libs/pricing, in pico-dollars. */
function expectedPico(model: string, usage: ReportedUsage): bigint {
  return picoAt(PRICES[model], {
    input: usage.prompt_tokens,
    cached: usage.prompt_tokens_details?.cached_tokens ?? 0,
    output: usage.completion_tokens,
    reasoning: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  });
}

function completion(model: string, usage: ReportedUsage): Record<string, unknown> {
  return {
    id: 'chatcmpl-usage',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    usage,
  };
}

function sse(model: string, usage: ReportedUsage): string {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model, choices, ...extra })}\n\n`;

  return [
    chunk([
      { index: 0, delta: { role: 'assistant', content: 'thinking done' }, finish_reason: null },
    ]),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    chunk([], { usage }),
    'data: [DONE]\n\n',
  ].join('');
}

// The whole router as processes; the mock provider answers with the usage each case sets.
describe('usage and cost equal what the provider reported, at the price table (e2e)', () => {
  let stack: RunningStack;
  let openai: OpenAI;
  const reported: { model: string; usage: ReportedUsage }[] = [];

  const admin = async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${stack.gatewayUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
    });

  const behave = async (rule: Record<string, unknown>): Promise<void> => {
    const response = await fetch(`${stack.mockProviderUrl}/_mock/behaviours`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
    expect(response.status).toBe(201);
  };

  const usageBy = async (groupBy: string): Promise<{ data: UsageRowView[]; total: UsageRowView }> =>
    (await (await admin(`/x-usage?group_by=${groupBy}`)).json()) as {
      data: UsageRowView[];
      total: UsageRowView;
    };

  beforeAll(async () => {
    stack = await startStack({
      isolate: true,
      withMockProvider: true,
      logLevel: 'warn',
      env: { 'audit-log': { AUDIT_ROLLUP_INTERVAL_MS: '500' } },
    });
    const created = await admin('/x-keys', {
      method: 'POST',
      body: JSON.stringify({
        SecretKey: 'sk-usage-0123456789abcdef',
        Name: 'mock',
        Level: 1,
        Provider: stack.mockProviderUrl,
        Status: true,
      }),
    });
    expect(created.status).toBe(201);
    openai = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('records a mix of streamed and whole answers with cached and reasoning tokens', async () => {
    const cachedUsage = {
      prompt_tokens: 1_200,
      completion_tokens: 300,
      total_tokens: 1_500,
      prompt_tokens_details: { cached_tokens: 1_000 },
      completion_tokens_details: { reasoning_tokens: 0 },
    };
    const reasoningUsage = {
      prompt_tokens: 50,
      completion_tokens: 400,
      total_tokens: 450,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 256 },
    };
    await behave({ model: 'gpt-4o', body: completion('gpt-4o', cachedUsage) });
    await behave({
      model: 'o4-mini',
      body: sse('o4-mini', reasoningUsage),
      headers: { 'content-type': 'text/event-stream' },
    });

    for (let call = 0; call < 3; call++) {
      await openai.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: `hi ${call}` }],
      });
      reported.push({ model: 'gpt-4o', usage: cachedUsage });
    }
    for (let call = 0; call < 2; call++) {
      const stream = await openai.chat.completions.create({
        model: 'o4-mini',
        messages: [{ role: 'user', content: 'think' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) void chunk;
      reported.push({ model: 'o4-mini', usage: reasoningUsage });
    }
    // The mock's own answers: its usage, as the client saw it, is what it reported.
    for (let call = 0; call < 2; call++) {
      const whole = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `a longer prompt number ${call} for the mock` }],
      });
      reported.push({ model: 'gpt-4o-mini', usage: whole.usage as ReportedUsage });
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `streamed prompt ${call}` }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let usage: ReportedUsage | undefined;
      for await (const chunk of stream) if (chunk.usage) usage = chunk.usage as ReportedUsage;
      reported.push({ model: 'gpt-4o-mini', usage: usage! });
    }

    const usage = await waitFor(
      async () => {
        const answer = await usageBy('model');

        return answer.total.requests === reported.length ? answer : undefined;
      },
      30_000,
      'the usage rollups',
    );

    for (const model of Object.keys(PRICES)) {
      const mine = reported.filter((call) => call.model === model);
      const row = usage.data.find((candidate) => candidate.key === model);
      const sum = (read: (usage: ReportedUsage) => number): number =>
        mine.reduce((total, call) => total + read(call.usage), 0);
      expect(row).toEqual({
        key: model,
        requests: mine.length,
        errors: 0,
        input_tokens: sum((u) => u.prompt_tokens),
        cached_input_tokens: sum((u) => u.prompt_tokens_details?.cached_tokens ?? 0),
        output_tokens: sum((u) => u.completion_tokens),
        reasoning_tokens: sum((u) => u.completion_tokens_details?.reasoning_tokens ?? 0),
        cost_usd: usd(mine.reduce((total, call) => total + expectedPico(model, call.usage), 0n)),
        unpriced_requests: 0,
      });
    }
    const all = reported.reduce((total, call) => total + expectedPico(call.model, call.usage), 0n);
    expect(usage.total.cost_usd).toBe(usd(all));
  });

  it('records each call with its timings, usage details and cost in the trail', async () => {
    const page = (await (await admin('/x-audit?model=o4-mini')).json()) as {
      data: Record<string, unknown>[];
    };

    expect(page.data).toHaveLength(2);
    expect(page.data[0]).toMatchObject({
      stream: true,
      providerType: 'openai',
      promptTokens: 50,
      completionTokens: 400,
      reasoningTokens: 256,
      costUsd: usd(expectedPico('o4-mini', reported[3].usage)),
      priceSource: 'table:2025-08-15',
      hasUsage: true,
    });
    expect(page.data[0].ttftMs).toEqual(expect.any(Number));
    expect(page.data[0].attemptsDetail).toEqual([
      expect.objectContaining({ status: 200, errorClass: '' }),
    ]);
  });

  it('records a model without a known price with its usage and no cost', async () => {
    await openai.chat.completions.create({
      model: 'my-local-llama',
      messages: [{ role: 'user', content: 'x' }],
    });

    const row = await waitFor(
      async () =>
        (await usageBy('model')).data.find((candidate) => candidate.key === 'my-local-llama'),
      30_000,
      'the unpriced row',
    );
    const trail = (await (await admin('/x-audit?model=my-local-llama')).json()) as {
      data: { costUsd: string; promptTokens: number }[];
    };

    expect(row).toMatchObject({ requests: 1, cost_usd: '0.000000000000', unpriced_requests: 1 });
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(trail.data[0]).toMatchObject({ costUsd: '' });
  });

  it('prices later calls at a tenant override and records the change', async () => {
    const set = await admin('/x-prices/my-local-llama', {
      method: 'PUT',
      body: JSON.stringify({ Input: '1', Output: '2' }),
    });
    const whole = await openai.chat.completions.create({
      model: 'my-local-llama',
      messages: [{ role: 'user', content: 'priced now' }],
    });

    const record = await waitFor(
      async () => {
        const trail = (await (await admin('/x-audit?model=my-local-llama&limit=1')).json()) as {
          data: { costUsd: string; priceSource: string }[];
        };

        return trail.data[0]?.costUsd ? trail.data[0] : undefined;
      },
      30_000,
      'the priced call',
    );
    const prices = (await (await admin('/x-prices')).json()) as { Overrides: unknown[] };

    const usage = whole.usage!;
    const pico =
      BigInt(usage.prompt_tokens) * 1_000_000n + BigInt(usage.completion_tokens) * 2_000_000n;
    expect(set.status).toBe(200);
    expect(prices.Overrides).toEqual([{ Model: 'my-local-llama', Input: '1', Output: '2' }]);
    expect(record).toEqual(
      expect.objectContaining({ costUsd: usd(pico), priceSource: 'override' }),
    );
    const changes = await waitFor(
      async () => {
        const sql = new Client({ connectionString: stack.databaseUrls['audit-log'] });
        await sql.connect();
        try {
          const { rows } = await sql.query<{ resource: string; action: string; after: unknown }>(
            `SELECT "resource", "action", "after" FROM "audit_log"."management_events"`,
          );

          return rows.some((row) => row.resource === 'price_override') ? rows : undefined;
        } finally {
          await sql.end();
        }
      },
      30_000,
      'the management changes',
    );
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ resource: 'provider_key', action: 'create' }),
        expect.objectContaining({
          resource: 'price_override',
          action: 'create',
          after: { Model: 'my-local-llama', Input: '1', Output: '2' },
        }),
      ]),
    );
    expect(JSON.stringify(changes)).not.toContain('sk-usage-0123456789abcdef');
  });

  it('exports usage and the trail as CSV, and the chain verifies', async () => {
    const usageCsv = await admin('/x-usage?group_by=model&format=csv');
    const trailCsv = await admin('/x-audit?format=csv');
    const usageText = await usageCsv.text();
    const trailLines = (await trailCsv.text()).trim().split('\r\n');
    const verify = (await (await admin('/x-audit/verify')).json()) as { ok: boolean };

    expect(usageCsv.headers.get('content-type')).toContain('text/csv');
    expect(usageText.split('\r\n')[0]).toBe(
      'model,requests,errors,input_tokens,cached_input_tokens,output_tokens,reasoning_tokens,cost_usd,unpriced_requests',
    );
    expect(usageText).toContain('o4-mini,2,0,100,0,800,512,');
    expect(trailLines[0]).toMatch(/^created_at,request_id,event_id,/);
    expect(trailLines).toHaveLength(1 + reported.length + 2);
    expect(verify.ok).toBe(true);
  });

  it('refuses a bad grouping and a bad time with 400', async () => {
    const grouping = await admin('/x-usage?group_by=week');
    const time = await admin('/x-audit?from=yesterday');

    expect([grouping.status, time.status]).toEqual([400, 400]);
  });
});
