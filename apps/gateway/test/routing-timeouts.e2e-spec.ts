import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';

import { AdminClient, eventually } from './admin-client';
import { MockControl, chat } from './mock-control';

const KEEPALIVE_MS = 200;
const IDLE_MS = 400;
const FIRST_BYTE_MS = 2_000;
const TOTAL_MS = 4_000;

/**
 * Selection, timeouts and probes end to end (issue #4), on one gateway with short timeouts:
 * keep-alive comments during a long silence, first-byte and idle timeouts, the total deadline,
 * half-open probes, weights and per-key model lists.
 */
describe('routing selection, timeouts and probes', () => {
  let stack: RunningStack;
  let admin: AdminClient;
  let mock: MockControl;

  const addKey = async (
    secret: string,
    level: number,
    config?: Record<string, unknown>,
  ): Promise<string> => {
    const created = await admin.request('POST', '/x-keys', {
      SecretKey: secret,
      Name: `e2e ${secret.slice(3, 12)}`,
      Level: level,
      Provider: stack.mockProviderUrl,
      ...(config ? { Config: config } : {}),
    });
    expect(created.status).toBe(201);

    return created.json.ID as string;
  };

  const call = (model: string, stream = false): ReturnType<typeof chat> =>
    chat(stack.gatewayUrl, stack.ownerKey, model, { stream });

  beforeAll(async () => {
    stack = await startStack({
      isolate: true,
      withMockProvider: true,
      env: {
        gateway: {
          XAI_KEY_HEALTH_CACHE_MS: '0',
          XAI_STREAM_KEEPALIVE_MS: String(KEEPALIVE_MS),
          XAI_UPSTREAM_BODY_TIMEOUT_MS: String(IDLE_MS),
          XAI_UPSTREAM_HEADERS_TIMEOUT_MS: String(FIRST_BYTE_MS),
          XAI_UPSTREAM_TOTAL_TIMEOUT_MS: String(TOTAL_MS),
        },
      },
    });
    admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    mock = new MockControl(stack.mockProviderUrl ?? '');
    const conf = await admin.request('POST', '/x-conf', {
      LevelMapper: 'slow-*=7,hang-*=8,idle-*=9,deadline-*=10,probe-*=11,wt-*=12,mod-*=13',
    });
    expect(conf.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('keeps a silent stream alive with SSE comments, then tells the route and relays it', async () => {
    const secret = 'sk-e2e-thinker-3b9e1f7a2c5d';
    const id = await addKey(secret, 7);
    await mock.behave({ apiKey: secret, model: 'slow-think', delayMs: 5 * KEEPALIVE_MS + 500 });

    const answer = await call('slow-think', true);
    const sdk = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
    let text = '';
    for await (const chunk of await sdk.chat.completions.create({
      model: 'slow-think',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    })) {
      text += chunk.choices[0]?.delta?.content ?? '';
    }

    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-xai-route-rule')).toBe('level slow-*=7');
    expect(answer.text.startsWith(': keep-alive\n\n')).toBe(true);
    expect(answer.text.match(/: keep-alive/g)?.length).toBeGreaterThanOrEqual(3);
    expect(answer.text).toContain(
      `: route x-xai-level=7 x-xai-provider-key-id=${id} x-xai-attempts=1`,
    );
    expect(answer.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(text.length).toBeGreaterThan(0);
  });

  it('tries the next key when one sends no first byte in time', async () => {
    const hanging = 'sk-e2e-hanging-7c1a4e9b2d6f';
    await addKey(hanging, 8);
    const quick = await addKey('sk-e2e-quick-0e5b8d3a1f7c', 8);
    await mock.behave({ apiKey: hanging, delayMs: FIRST_BYTE_MS + 1_500 });
    const startedAt = Date.now();

    const answer = await call('hang-model');

    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-xai-provider-key-id')).toBe(quick);
    expect(answer.headers.get('x-xai-attempts')).toBe('2');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(FIRST_BYTE_MS - 100);
  });

  it('ends a stream that goes silent past the idle timeout with an error event', async () => {
    const secret = 'sk-e2e-staller-5d2f8a1c7e3b';
    await addKey(secret, 9);
    await mock.behave({ apiKey: secret, model: 'idle-cut', chunkDelayMs: IDLE_MS * 3 });

    const answer = await call('idle-cut', true);

    const events = answer.text.split('\n\n').filter((event) => event.startsWith('data: '));
    expect(answer.status).toBe(200);
    expect(events).toHaveLength(2);
    expect(events[1]).toContain('"code":"upstream_stream_error"');
    await expect(mock.chatCalls(secret)).resolves.toBe(1);
  });

  it('gives up with 504 when the total deadline passes while keys are tried', async () => {
    const secrets = ['sk-e2e-slow-a-1f4c7e', 'sk-e2e-slow-b-2a5d8f', 'sk-e2e-slow-c-3b6e9a'];
    for (const secret of secrets) {
      await addKey(secret, 10);
      await mock.behave({ apiKey: secret, status: 500, delayMs: 1_500 });
    }
    const startedAt = Date.now();

    const answer = await call('deadline-model');

    expect(answer.status).toBe(504);
    expect(answer.json().error).toMatchObject({
      message: expect.stringContaining('total deadline'),
    });
    expect(Date.now() - startedAt).toBeLessThan(TOTAL_MS + 1_000);
  });

  it('wakes a sleeping key with a background probe, without any traffic', async () => {
    const flaky = 'sk-e2e-flaky-8b3e6a1d4f9c';
    const flakyId = await addKey(flaky, 11);
    await addKey('sk-e2e-steady-4e7b0c3f6a2d', 11);
    await mock.behave({ apiKey: flaky, status: 429, headers: { 'Retry-After': '1' }, times: 1 });

    const answer = await call('probe-model');
    const sleeping = await sleepingIds(admin);
    await eventually(async () => ((await sleepingIds(admin)).includes(flakyId) ? undefined : true));

    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-xai-attempts')).toBe('2');
    expect(sleeping).toContain(flakyId);
    const probes = (await mock.requests(flaky)).filter((r) => r.path === '/v1/models');
    expect(probes).toEqual([expect.objectContaining({ method: 'GET', status: 200 })]);
  });

  it('shares first picks by weight', async () => {
    const heavy = await addKey('sk-e2e-heavy-6a9c2e5f8b1d', 12, { weight: 3 });
    const light = await addKey('sk-e2e-light-9d2f5b8e1a4c', 12, { weight: 1 });

    const used: string[] = [];
    for (let i = 0; i < 8; i++)
      used.push((await call('wt-model')).headers.get('x-xai-provider-key-id') ?? '');

    expect(used.filter((id) => id === heavy)).toHaveLength(6);
    expect(used.filter((id) => id === light)).toHaveLength(2);
  });

  it('sends a key only the models of its own list', async () => {
    const listed = await addKey('sk-e2e-listed-2c5f8a1d4e7b', 13, { models: ['mod-a*'] });
    const general = await addKey('sk-e2e-general-5f8b1e4a7d0c', 13);

    const forB = [];
    for (let i = 0; i < 3; i++)
      forB.push((await call('mod-b1')).headers.get('x-xai-provider-key-id'));
    const forA = [];
    for (let i = 0; i < 2; i++)
      forA.push((await call('mod-a1')).headers.get('x-xai-provider-key-id'));
    const explained = await admin.request('GET', '/x-route?model=mod-b1');

    expect(forB).toEqual([general, general, general]);
    expect(new Set(forA)).toEqual(new Set([listed, general]));
    const keys = (explained.json.Levels as Array<{ Keys: Array<Record<string, unknown>> }>)[0].Keys;
    expect(keys.find((key) => key.ID === listed)).toMatchObject({
      Models: ['mod-a*'],
      Excluded: 'model_not_listed',
    });
  });

  it('refuses a weight or model list that is not valid, naming the field', async () => {
    const refused = await admin.request('POST', '/x-keys', {
      SecretKey: 'sk-e2e-refused-0a3d6f9c2e5b',
      Name: 'bad weight',
      Level: 12,
      Provider: stack.mockProviderUrl,
      Config: { weight: -1, models: [] },
    });

    expect(refused.status).toBe(400);
    const message = (refused.json.error as { message: string }).message;
    expect(message).toContain('Config.weight');
    expect(message).toContain('Config.models');
  });
});

async function sleepingIds(admin: AdminClient): Promise<string[]> {
  const conf = await admin.request('GET', '/x-conf');
  const health = conf.json.KeyHealth as { Sleeping: Array<{ ID: string }> };

  return health.Sleeping.map((key) => key.ID);
}
