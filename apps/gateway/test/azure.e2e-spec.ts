import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';

import { AdminClient } from './admin-client';

const SECRETS = {
  deployments: 'az-canary-deployments-0a1b2c3d4e5f',
  v1: 'az-canary-v1-api-9f8e7d6c5b4a',
};

/** A request as the mock provider recorded it. */
interface MockRecord {
  method: string;
  path: string;
  apiKey: string | null;
  body: Record<string, unknown>;
  headers: Record<string, string | undefined>;
}

describe('Azure OpenAI keys through the gateway (e2e)', () => {
  let stack: RunningStack;
  let openai: OpenAI;

  const records = async (secret: string): Promise<MockRecord[]> => {
    const response = await fetch(`${stack.mockProviderUrl}/_mock/requests?apiKey=${secret}`);

    return (await response.json()) as MockRecord[];
  };

  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true });
    const admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    openai = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
    const keys = [
      {
        SecretKey: SECRETS.deployments,
        Name: 'azure deployments',
        Level: 1,
        Config: {
          provider_type: 'azure',
          deployments: { 'gpt-az': 'dep-chat', 'emb-az': 'dep-embed' },
        },
      },
      {
        SecretKey: SECRETS.v1,
        Name: 'azure v1',
        Level: 2,
        Config: { provider_type: 'azure', api_version: 'v1' },
      },
    ];
    for (const key of keys) {
      const created = await admin.request('POST', '/x-keys', {
        ...key,
        Provider: stack.mockProviderUrl,
        Status: true,
      });
      if (created.status !== 201) throw new Error(JSON.stringify(created.json));
    }
    const conf = await admin.request('POST', '/x-conf', {
      LevelMapper: 'gpt-az=1, emb-az=1, v1-*=2',
    });
    if (conf.status !== 200) throw new Error(JSON.stringify(conf.json));
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('calls chat on the deployment, with the key in api-key and an api-version, streamed or not', async () => {
    const messages = [{ role: 'user' as const, content: 'Hello Azure' }];

    const whole = await openai.chat.completions.create({ model: 'gpt-az', messages });
    const stream = await openai.chat.completions.create({
      model: 'gpt-az',
      messages,
      stream: true,
    });
    let text = '';
    const usages: unknown[] = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usages.push(chunk.usage);
    }

    expect(whole.choices[0].message.content).toMatch(/^Mock reply to 1 message\(s\) for gpt-az/);
    expect(text).toBe(whole.choices[0].message.content);
    expect(usages).toEqual([]);
    const calls = (await records(SECRETS.deployments)).slice(-2);
    expect(calls.map((call) => call.path)).toEqual([
      '/openai/deployments/dep-chat/chat/completions',
      '/openai/deployments/dep-chat/chat/completions',
    ]);
    expect(calls.map((call) => call.headers.authorization)).toEqual([undefined, undefined]);
    // The router asked for usage to meter the stream (and hid it from this client).
    expect(calls[1].body.stream_options).toEqual({ include_usage: true });
  });

  it('embeds on the embeddings deployment, answering what the SDK decodes', async () => {
    const answer = await openai.embeddings.create({ model: 'emb-az', input: ['one', 'two'] });

    expect(answer.data).toHaveLength(2);
    expect(answer.data[0].embedding).toHaveLength(1536);
    expect(answer.usage.prompt_tokens).toBeGreaterThan(0);
    expect((await records(SECRETS.deployments)).at(-1)).toMatchObject({
      method: 'POST',
      path: '/openai/deployments/dep-embed/embeddings',
      body: { model: 'emb-az', input: ['one', 'two'] },
    });
  });

  it('uses the v1 API (model in the body, no deployment) when the key says api_version v1', async () => {
    const answer = await openai.chat.completions.create({
      model: 'v1-chat',
      messages: [{ role: 'user', content: 'Hi' }],
    });

    expect(answer.choices[0].message.content).toMatch(/for v1-chat/);
    expect((await records(SECRETS.v1)).at(-1)).toMatchObject({
      path: '/openai/v1/chat/completions',
      body: { model: 'v1-chat' },
    });
  });

  it('creates a response on Azure’s Responses API (v1, the default version predating it) and reads it back', async () => {
    const created = await openai.responses.create({ model: 'gpt-az', input: 'Store on Azure' });

    const read = await openai.responses.retrieve(created.id);

    expect(read.output_text).toBe(created.output_text);
    expect((await records(SECRETS.deployments)).slice(-2).map((call) => call.path)).toEqual([
      '/openai/v1/responses',
      `/openai/v1/responses/${created.id}`,
    ]);
  });
});
