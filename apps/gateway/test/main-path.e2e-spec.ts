import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';
import { Client } from 'pg';

import { AdminClient, encodingsOf, eventually } from './admin-client';

interface MockRequest {
  path: string;
  apiKey: string;
  model?: string;
}

const LEVEL_1_SECRET = 'sk-canary-level1-7f3a9c2e5b1d4f60a8e2';
const LEVEL_2_SECRET = 'sk-canary-level2-1c8e6b0a3f9d2e47b5c1';

describe('the main path, through the real services as processes', () => {
  let stack: RunningStack;
  let admin: AdminClient;
  let openai: OpenAI;
  const requestIds: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true });
    admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    openai = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const mockRequests = async (): Promise<MockRequest[]> => {
    const response = await fetch(`${stack.mockProviderUrl}/_mock/requests`);

    return (await response.json()) as MockRequest[];
  };

  it('stores two provider keys and the routing rules', async () => {
    const first = await admin.request('POST', '/x-keys', {
      SecretKey: LEVEL_1_SECRET,
      Name: 'mock level 1',
      Level: 1,
      Provider: stack.mockProviderUrl,
      Status: true,
    });
    const second = await admin.request('POST', '/x-keys', {
      SecretKey: LEVEL_2_SECRET,
      Name: 'mock level 2',
      Level: 2,
      Provider: `${stack.mockProviderUrl}/v1/`,
      Status: true,
    });
    const conf = await admin.request('POST', '/x-conf', {
      LevelMapper: 'gpt-4*=1, claude*=2',
      ModelMapper: 'gpt-4=gpt-4-turbo',
    });

    expect([first.status, second.status, conf.status]).toEqual([201, 201, 200]);
    expect(first.json).toMatchObject({ Name: 'mock level 1', Level: 1, SecretHint: '…a8e2' });
    expect(JSON.stringify(first.json)).not.toContain(LEVEL_1_SECRET);
    expect(conf.json).toMatchObject({
      LevelMapper: 'gpt-4*=1,claude*=2',
      ModelMapper: 'gpt-4=gpt-4-turbo',
    });
  });

  it('answers a chat completion from the level-1 key, with the mapped model upstream', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'gpt-4', messages: [{ role: 'user', content: 'Hello' }] })
      .withResponse();
    requestIds.push(response.headers.get('x-request-id') ?? '');

    const seen = (await mockRequests()).at(-1);
    expect(data.choices[0].message.content).toEqual(expect.any(String));
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    expect(seen).toMatchObject({ apiKey: LEVEL_1_SECRET, model: 'gpt-4-turbo' });
    expect(response.headers.get('x-xai-level')).toBe('1');
    expect(response.headers.get('x-xai-upstream-model')).toBe('gpt-4-turbo');
  });

  it('streams a level-2 answer whose text equals the non-streamed one', async () => {
    const params = {
      model: 'claude-3-5-sonnet',
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    const whole = await openai.chat.completions.create(params);

    const { data: stream, response } = await openai.chat.completions
      .create({ ...params, stream: true })
      .withResponse();
    let text = '';
    let usageChunks = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usageChunks++;
    }
    requestIds.push(response.headers.get('x-request-id') ?? '');

    const seen = (await mockRequests()).at(-1);
    expect(text).toBe(whole.choices[0].message.content);
    expect(usageChunks).toBe(0);
    expect(seen).toMatchObject({ apiKey: LEVEL_2_SECRET, model: 'claude-3-5-sonnet' });
  });

  it('creates an embedding and lists the reachable models', async () => {
    const { data: embedding, response } = await openai.embeddings
      .create({ model: 'gpt-4-embedding', input: 'hello' })
      .withResponse();
    requestIds.push(response.headers.get('x-request-id') ?? '');
    const seen = (await mockRequests()).at(-1);
    const models = await openai.models.list();

    expect(embedding.data[0].embedding.length).toBeGreaterThan(0);
    expect(seen).toMatchObject({ apiKey: LEVEL_1_SECRET, path: '/v1/embeddings' });
    expect(models.data.map((model) => model.id)).toEqual(
      expect.arrayContaining(['gpt-4', 'gpt-4o', 'gpt-4-turbo']),
    );
  });

  it('records every request in the audit trail', async () => {
    expect(requestIds).toHaveLength(3);

    for (const requestId of requestIds) {
      const record = await eventually(async () => {
        const { json } = await admin.request('GET', `/x-audit?request_id=${requestId}`);
        const data = json.data as Array<Record<string, unknown>>;

        return data.length > 0 ? data[0] : undefined;
      });
      expect(record).toMatchObject({ requestId, status: 200 });
      expect(record.providerKeyId).not.toBe('');
      expect(record.totalTokens).toBeGreaterThan(0);
    }
  });

  it('keeps provider keys out of the database, the logs and every response', async () => {
    const haystacks = [
      ...(await databaseText(stack)),
      ...['gateway', 'config', 'key-vault', 'audit-log'].flatMap((name) => stack.logs(name)),
      ...admin.responses,
      (await admin.request('GET', '/x-keys')).json,
      (await admin.request('GET', '/x-conf')).json,
    ].map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));

    const leaks = [LEVEL_1_SECRET, LEVEL_2_SECRET]
      .flatMap(encodingsOf)
      .filter((needle) => haystacks.some((text) => text.includes(needle)));

    expect(leaks).toEqual([]);
  });
});

/** Every row of every table of every service's database, as text, hex and base64. */
async function databaseText(stack: RunningStack): Promise<string[]> {
  const texts: string[] = [];
  for (const url of new Set(Object.values(stack.databaseUrls))) {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const tables = await client.query<{ schema: string; name: string }>(
        `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
      );
      for (const { schema, name } of tables.rows) {
        const rows = await client.query(`SELECT * FROM "${schema}"."${name}"`);
        for (const row of rows.rows as Array<Record<string, unknown>>) {
          for (const value of Object.values(row)) {
            if (Buffer.isBuffer(value))
              texts.push(value.toString('utf8'), value.toString('hex'), value.toString('base64'));
            else texts.push(JSON.stringify(value));
          }
        }
      }
    } finally {
      await client.end();
    }
  }

  return texts;
}
