import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';
import { Client } from 'pg';

import { AdminClient, encodingsOf, eventually } from './admin-client';
import { MockControl, chat } from './mock-control';

/** Each key's secret is also its name at the mock, which selects behaviours by it. */
const SECRETS = {
  throttled: 'sk-e2e-throttled-4a1f9c2b7d30e8a5',
  spare: 'sk-e2e-spare-5c2e8b1f0a9d4e77',
  revoked: 'sk-e2e-revoked-0b7d3e9a1c4f6b28',
  backup: 'sk-e2e-backup-8e1a6c3f2b9d0e41',
  failingA: 'sk-e2e-failing-a-2f7c9e1b5d3a',
  failingB: 'sk-e2e-failing-b-6d1e3a8c0f2b',
  fallback: 'sk-e2e-fallback-9a4c7e2d1b6f',
  deadA: 'sk-e2e-dead-a-3c8f1a6e9d2b7c',
  deadB: 'sk-e2e-dead-b-7e2b9d4a1f6c3e',
  streamer: 'sk-e2e-streamer-1d6a9f3c8e2b',
  sleepyA: 'sk-e2e-sleepy-a-4b9e2c7a1d5f',
  sleepyB: 'sk-e2e-sleepy-b-8d3a6f1c9e2b',
  refuser: 'sk-e2e-refuser-2e7b4a9d1c6f',
  keeper: 'sk-e2e-keeper-6c1f8e3a9b4d',
  nobody: 'sk-e2e-nobody-9f2d5b8e1a7c',
  broke: 'sk-e2e-broke-5e8a2c7f1d3b',
  payer: 'sk-e2e-payer-1b6f9d2e7a4c',
  flakyA: 'sk-e2e-flaky-a-7c2e5a9f1b4d',
  flakyB: 'sk-e2e-flaky-b-3f8d1b6e2a9c',
  opener: 'sk-e2e-opener-9d4b2f7a1e6c',
  closer: 'sk-e2e-closer-2a7e9c4f1d8b',
  translator: 'sk-e2e-translator-6b1d8f3a9e2c',
  drowsy: 'sk-e2e-drowsy-4e9a1c7b3f2d',
  awake: 'sk-e2e-awake-8c3f6a2d9b1e',
} as const;

/** Anthropic's answer to a key whose account has run out of credit: a 400, about billing. */
const NO_CREDIT = {
  type: 'error',
  error: {
    type: 'invalid_request_error',
    message:
      'Your credit balance is too low to access the Anthropic API. ' +
      'Please go to Plans & Billing to upgrade or purchase credits.',
  },
};

/** OpenAI's answer to a key without access to a model: a 403 about the model, not the key. */
const NO_ACCESS = {
  error: {
    message: 'The model `refuse-model` does not exist or you do not have access to it.',
    type: 'invalid_request_error',
    param: null,
    code: 'model_not_found',
  },
};

type KeyName = keyof typeof SECRETS;

/**
 * Key health and failover end to end (issue #4): two gateway replicas sharing Redis, the mock
 * provider answering per key, config recording the transitions.
 */
describe('key health and failover across two gateway replicas', () => {
  let stack: RunningStack;
  let admin: AdminClient;
  let second: AdminClient;
  let mock: MockControl;
  const ids = {} as Record<KeyName, string>;

  const addKey = async (name: KeyName, level: number): Promise<void> => {
    const anthropic = name === 'broke' || name === 'translator';
    const created = await admin.request('POST', '/x-keys', {
      SecretKey: SECRETS[name],
      Name: `e2e ${name}`,
      Level: level,
      Provider: stack.mockProviderUrl,
      ...(anthropic ? { Config: { provider_type: 'anthropic' } } : {}),
    });
    expect(created.status).toBe(201);
    ids[name] = created.json.ID as string;
  };

  const keyHealth = async (
    client: AdminClient,
  ): Promise<{
    Sleeping: Array<Record<string, unknown>>;
    Dead: Array<Record<string, unknown>>;
  }> => {
    const conf = await client.request('GET', '/x-conf');

    return conf.json.KeyHealth as {
      Sleeping: Array<Record<string, unknown>>;
      Dead: Array<Record<string, unknown>>;
    };
  };

  beforeAll(async () => {
    stack = await startStack({
      isolate: true,
      withMockProvider: true,
      gatewayReplicas: 2,
      env: { gateway: { XAI_KEY_HEALTH_CACHE_MS: '0' } },
    });
    admin = new AdminClient(stack.gatewayUrls[0], stack.ownerKey);
    second = new AdminClient(stack.gatewayUrls[1], stack.ownerKey);
    mock = new MockControl(stack.mockProviderUrl ?? '');
    const levels: Array<[KeyName, number]> = [
      ['throttled', 1],
      ['spare', 1],
      ['revoked', 2],
      ['backup', 2],
      ['failingA', 3],
      ['failingB', 3],
      ['fallback', 4],
      ['deadA', 5],
      ['deadB', 5],
      ['streamer', 6],
      ['sleepyA', 7],
      ['sleepyB', 7],
      ['refuser', 8],
      ['keeper', 8],
      ['nobody', 9],
      ['broke', 10],
      ['payer', 10],
      ['flakyA', 11],
      ['flakyB', 11],
      ['opener', 12],
      ['closer', 12],
      ['translator', 13],
      ['drowsy', 14],
      ['awake', 14],
    ];
    for (const [name, level] of levels) await addKey(name, level);
    const conf = await admin.request('POST', '/x-conf', {
      LevelMapper:
        'rl-*=1,auth-*=2,sw-*=3,dead-*=5,stream-*=6,sleep-*=7,refuse-*=8,nobody-*=9,' +
        'bill-*=10,flaky-*=11,first-*=12,tstream-*=13,drowsy-*=14',
      SwitchOver: '3=4',
    });
    expect(conf.status).toBe(200);
    await mock.behave({ apiKey: SECRETS.throttled, status: 429, headers: { 'Retry-After': '30' } });
    await mock.behave({ apiKey: SECRETS.revoked, status: 401 });
    await mock.behave({ apiKey: SECRETS.failingA, status: 500 });
    await mock.behave({ apiKey: SECRETS.failingB, status: 503 });
    await mock.behave({ apiKey: SECRETS.deadA, status: 401 });
    await mock.behave({ apiKey: SECRETS.deadB, status: 403 });
    await mock.behave({ apiKey: SECRETS.streamer, model: 'stream-cut', failAfterChunks: 2 });
    await mock.behave({
      ...{ apiKey: SECRETS.streamer, model: 'stream-close' },
      ...{ failAfterChunks: 2, failMode: 'close' },
    });
    await mock.behave({ apiKey: SECRETS.sleepyA, status: 429, headers: { 'Retry-After': '20' } });
    await mock.behave({ apiKey: SECRETS.sleepyB, status: 429, headers: { 'Retry-After': '40' } });
    await mock.behave({
      ...{ apiKey: SECRETS.refuser, model: 'refuse-model' },
      ...{ status: 403, body: NO_ACCESS },
    });
    await mock.behave({ apiKey: SECRETS.nobody, status: 403, body: NO_ACCESS });
    await mock.behave({ apiKey: SECRETS.broke, status: 400, body: NO_CREDIT });
    await mock.behave({ apiKey: SECRETS.flakyA, status: 500 });
    await mock.behave({ apiKey: SECRETS.flakyB, status: 502 });
    await mock.behave({
      ...{ apiKey: SECRETS.opener, model: 'first-error' },
      ...{ failAfterChunks: 0, failMode: 'error-event' },
    });
    await mock.behave({
      ...{ apiKey: SECRETS.translator, model: 'tstream-close' },
      ...{ failAfterChunks: 2, failMode: 'close' },
    });
    await mock.behave({ apiKey: SECRETS.drowsy, status: 429, headers: { 'Retry-After': '600' } });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('serves every call through the other key while a 429 key sleeps, on both replicas', async () => {
    const startedAt = Date.now();

    const first = await chat(stack.gatewayUrls[0], stack.ownerKey, 'rl-model');
    const onFirst = [first];
    for (let i = 0; i < 4; i++)
      onFirst.push(await chat(stack.gatewayUrls[0], stack.ownerKey, 'rl-model'));
    const health = await keyHealth(second);
    const onSecond = [];
    for (let i = 0; i < 5; i++)
      onSecond.push(await chat(stack.gatewayUrls[1], stack.ownerKey, 'rl-model'));

    expect([...onFirst, ...onSecond].map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(first.headers.get('x-xai-provider-key-id')).toBe(ids.spare);
    expect(first.headers.get('x-xai-attempts')).toBe('2');
    expect(first.headers.get('x-xai-level')).toBe('1');
    expect(first.headers.get('x-xai-route-rule')).toBe('level rl-*=1');
    expect(onSecond.every((a) => a.headers.get('x-xai-provider-key-id') === ids.spare)).toBe(true);
    await expect(mock.chatCalls(SECRETS.throttled)).resolves.toBe(1);
    const asleep = health.Sleeping.find((key) => key.ID === ids.throttled);
    expect(asleep).toMatchObject({ State: 'sleeping', Reason: 'rate_limited', Detail: 'HTTP 429' });
    const until = Date.parse(String(asleep?.Until));
    expect(until - startedAt).toBeGreaterThan(28_000);
    expect(until - Date.now()).toBeLessThanOrEqual(30_000);
  });

  it('explains the route without calling anyone, naming the rule and the sleeping key', async () => {
    const before = await mock.requests(SECRETS.spare);

    const explained = await second.request('GET', '/x-route?model=rl-model');

    expect(explained.status).toBe(200);
    expect(explained.json).toMatchObject({
      Model: 'rl-model',
      UpstreamModel: 'rl-model',
      Level: 1,
      LevelRule: 'rl-*=1',
      Decision: { Level: 1, ProviderKeyID: ids.spare, RouteRule: 'level rl-*=1', Trial: false },
      Error: null,
    });
    const keys = (explained.json.Levels as Array<{ Keys: Array<Record<string, unknown>> }>)[0].Keys;
    expect(keys.find((key) => key.ID === ids.throttled)).toMatchObject({
      State: 'sleeping',
      Excluded: 'sleeping',
    });
    await expect(mock.requests(SECRETS.spare)).resolves.toHaveLength(before.length);
  });

  it('kills a 401 key after one call, shows it, never tries it again until it is fixed', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(await chat(stack.gatewayUrls[i % 2], stack.ownerKey, 'auth-model'));
    const health = await keyHealth(admin);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    await expect(mock.chatCalls(SECRETS.revoked)).resolves.toBe(1);
    expect(health.Dead).toEqual([
      expect.objectContaining({ ID: ids.revoked, Reason: 'unauthorized', Until: null }),
    ]);
    await expectRecordedByConfig(stack, ids.revoked, 'dead');

    const fixed = await admin.request('PUT', `/x-keys/${ids.revoked}`, {
      SecretKey: 'sk-e2e-revoked-fixed-6f2a9c1e8b3d',
    });
    expect(fixed.status).toBe(200);
    await eventually(async () => {
      const answer = await chat(stack.gatewayUrls[1], stack.ownerKey, 'auth-model');

      return answer.headers.get('x-xai-provider-key-id') === ids.revoked ? true : undefined;
    });
    expect((await keyHealth(second)).Dead).toEqual([]);
  });

  it('switches over to the next level when every key of a level fails', async () => {
    const answer = await chat(stack.gatewayUrls[0], stack.ownerKey, 'sw-model');

    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-xai-level')).toBe('4');
    expect(answer.headers.get('x-xai-provider-key-id')).toBe(ids.fallback);
    expect(answer.headers.get('x-xai-attempts')).toBe('3');
    expect(answer.headers.get('x-xai-route-rule')).toBe('level sw-*=3; switch-over 3=4');
    await expect(mock.chatCalls(SECRETS.failingA)).resolves.toBe(1);
    await expect(mock.chatCalls(SECRETS.failingB)).resolves.toBe(1);
  });

  it('refuses a SwitchOver cycle at save time, naming the item', async () => {
    const refused = await admin.request('POST', '/x-conf', { SwitchOver: '1=2,2=1' });

    expect(refused.status).toBe(400);
    const error = refused.json.error as { message: string };
    expect(error.message).toContain('"2=1" closes a cycle');
    expect((await admin.request('GET', '/x-conf')).json.SwitchOver).toBe('3=4');
  });

  it('names the level and why when every key is dead, with no key text', async () => {
    const first = await chat(stack.gatewayUrls[0], stack.ownerKey, 'dead-model');
    const callsAfterFirst =
      (await mock.chatCalls(SECRETS.deadA)) + (await mock.chatCalls(SECRETS.deadB));
    const again = await chat(stack.gatewayUrls[1], stack.ownerKey, 'dead-model');

    expect(first.headers.get('x-xai-attempts')).toBe('2');
    expect(again.headers.get('x-xai-attempts')).toBe('0');
    for (const answer of [first, again]) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('x-xai-level')).toBe('5');
      expect(answer.headers.get('x-xai-upstream-model')).toBe('dead-model');
      const error = answer.json().error as Record<string, unknown>;
      expect(error).toMatchObject({ code: 'no_available_key', type: 'api_error' });
      expect(error.request_id).toBe(answer.headers.get('x-request-id'));
      expect(error.message).toContain('level 5, all 2 keys: 2 dead (unauthorized, forbidden)');
      const leaks = [SECRETS.deadA, SECRETS.deadB, ids.deadA, ids.deadB, 'e2e dead']
        .flatMap((text) => (text.startsWith('sk-') ? encodingsOf(text) : [text]))
        .filter((needle) => answer.text.includes(needle));
      expect(leaks).toEqual([]);
    }
    expect(callsAfterFirst).toBe(2);
    await expect(mock.chatCalls(SECRETS.deadA)).resolves.toBe(1);
  });

  it('revives a dead key when its owner toggles its Status', async () => {
    await admin.request('PUT', `/x-keys/${ids.deadA}`, { Status: false });
    await admin.request('PUT', `/x-keys/${ids.deadA}`, { Status: true });

    await eventually(async () => {
      await chat(stack.gatewayUrls[0], stack.ownerKey, 'dead-model');

      return (await mock.chatCalls(SECRETS.deadA)) === 2 ? true : undefined;
    });

    // Still refused by the provider: dead again after exactly one more call.
    await chat(stack.gatewayUrls[1], stack.ownerKey, 'dead-model');
    await expect(mock.chatCalls(SECRETS.deadA)).resolves.toBe(2);
  });

  it('ends a stream that breaks midway with an error event, after the chunks, without retry', async () => {
    const raw = await chat(stack.gatewayUrls[0], stack.ownerKey, 'stream-cut', { stream: true });
    const openai = new OpenAI({
      baseURL: `${stack.gatewayUrls[1]}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
    const received: string[] = [];
    const consume = async (): Promise<void> => {
      const stream = await openai.chat.completions.create({
        model: 'stream-cut',
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
      });
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta?.content ?? '');
    };

    await expect(consume()).rejects.toBeInstanceOf(OpenAI.APIError);

    expect(raw.status).toBe(200);
    const events = raw.text.split('\n\n').filter((event) => event.startsWith('data: '));
    expect(events).toHaveLength(3);
    expect(events[2]).toContain('"code":"upstream_stream_error"');
    expect(events.slice(0, 2).every((event) => event.includes('"choices"'))).toBe(true);
    expect(received).toHaveLength(2);
    await expect(mock.chatCalls(SECRETS.streamer)).resolves.toBe(2);
  });

  it('answers 429 with Retry-After until the earliest wake when every key is asleep', async () => {
    const first = await chat(stack.gatewayUrls[0], stack.ownerKey, 'sleep-model');
    const again = await chat(stack.gatewayUrls[1], stack.ownerKey, 'sleep-model');

    for (const answer of [first, again]) {
      expect(answer.status).toBe(429);
      expect(answer.json().error).toMatchObject({ code: 'no_available_key' });
      expect((answer.json().error as { message: string }).message).toContain(
        'level 7, all 2 keys: 2 asleep until',
      );
      const retryAfter = Number(answer.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(18);
      expect(retryAfter).toBeLessThanOrEqual(20);
      expect(answer.headers.get('x-xai-level')).toBe('7');
    }
    expect(first.headers.get('x-xai-attempts')).toBe('2');
    expect(again.headers.get('x-xai-attempts')).toBe('0');
    await expect(mock.chatCalls(SECRETS.sleepyA)).resolves.toBe(1);
    await expect(mock.chatCalls(SECRETS.sleepyB)).resolves.toBe(1);
  });

  it('sets a key aside only for a model its provider refuses it, not for everything', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(await chat(stack.gatewayUrls[0], stack.ownerKey, 'refuse-model'));
    const others = [];
    for (let i = 0; i < 2; i++)
      others.push(await chat(stack.gatewayUrls[0], stack.ownerKey, 'refuse-other'));
    const health = await keyHealth(admin);
    const explained = await admin.request('GET', '/x-route?model=refuse-model');

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers.every((a) => a.headers.get('x-xai-provider-key-id') === ids.keeper)).toBe(true);
    const refused = (await mock.requests(SECRETS.refuser)).filter(
      (r) => r.model === 'refuse-model',
    );
    expect(refused).toHaveLength(1);
    expect(others.map((answer) => answer.headers.get('x-xai-provider-key-id')).sort()).toEqual(
      [ids.refuser, ids.keeper].sort(),
    );
    expect([...health.Dead, ...health.Sleeping].map((key) => key.ID)).not.toContain(ids.refuser);
    const keys = (explained.json.Levels as Array<{ Keys: Array<Record<string, unknown>> }>)[0].Keys;
    expect(keys.find((key) => key.ID === ids.refuser)).toMatchObject({
      State: 'active',
      Excluded: 'model_refused',
    });
  });

  it("passes a model refusal back as OpenAI's 404 when every key is refused it", async () => {
    const answer = await chat(stack.gatewayUrls[0], stack.ownerKey, 'nobody-model');

    expect(answer.status).toBe(404);
    const error = answer.json().error as Record<string, unknown>;
    expect(error).toMatchObject({ code: 'model_not_found', type: 'invalid_request_error' });
    expect(error.message).toContain('level 9, its only key: 1 refused this model by the provider');
    expect(answer.headers.get('x-xai-attempts')).toBe('1');
    expect((await keyHealth(admin)).Dead.map((key) => key.ID)).not.toContain(ids.nobody);
  });

  it('ends a stream the provider closes unfinished with an error event, records it, no retry', async () => {
    const callsBefore = await mock.chatCalls(SECRETS.streamer);

    const raw = await chat(stack.gatewayUrls[0], stack.ownerKey, 'stream-close', { stream: true });

    expect(raw.status).toBe(200);
    const events = raw.text.split('\n\n').filter((event) => event.startsWith('data: '));
    expect(events).toHaveLength(3);
    expect(events.slice(0, 2).every((event) => event.includes('"choices"'))).toBe(true);
    expect(events[2]).toContain('"code":"upstream_stream_incomplete"');
    expect(raw.text).not.toContain('[DONE]');
    await expect(mock.chatCalls(SECRETS.streamer)).resolves.toBe(callsBefore + 1);
    const requestId = raw.headers.get('x-request-id') ?? '';
    const record = await eventually(async () => {
      const { json } = await admin.request('GET', `/x-audit?request_id=${requestId}`);
      const data = json.data as Array<Record<string, unknown>>;

      return data.length > 0 ? data[0] : undefined;
    });
    expect(record).toMatchObject({ errorCode: 'upstream_stream_incomplete' });
  });

  it("kills a key whose account is out of credit (Anthropic's 400) and serves the call elsewhere", async () => {
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(await chat(stack.gatewayUrls[i % 2], stack.ownerKey, 'bill-model'));
    const health = await keyHealth(admin);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers.every((a) => a.headers.get('x-xai-provider-key-id') === ids.payer)).toBe(true);
    await expect(mock.requests(SECRETS.broke)).resolves.toHaveLength(1);
    expect(health.Dead.find((key) => key.ID === ids.broke)).toMatchObject({
      Reason: 'quota',
      Detail: 'credit balance too low',
    });
  });

  it('answers 503, not 429, when server errors put every key to sleep, on the next call too', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(await chat(stack.gatewayUrls[i % 2], stack.ownerKey, 'flaky-model'));

    expect(answers.map((answer) => answer.status)).toEqual([503, 503, 503, 503]);
    // The third call tripped both sleeps; it and the next name the wake and say when to retry.
    for (const answer of answers.slice(2)) {
      expect(answer.json().error).toMatchObject({ code: 'no_available_key' });
      expect((answer.json().error as { message: string }).message).toContain('2 asleep until');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(answers[3].headers.get('x-xai-attempts')).toBe('0');
  });

  it('tries the next key when a stream opens with an error event, before any byte is sent', async () => {
    const answers = [];
    for (let i = 0; i < 2; i++)
      answers.push(
        await chat(stack.gatewayUrls[0], stack.ownerKey, 'first-error', { stream: true }),
      );

    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain('"error"');
      expect(answer.text).toContain('data: [DONE]');
    }
    const opened = (await mock.requests(SECRETS.opener)).filter((r) => r.model === 'first-error');
    expect(opened.length).toBeGreaterThanOrEqual(1);
    await expect(mock.chatCalls(SECRETS.closer)).resolves.toBe(2);
  });

  it('ends a translated stream closed unfinished with the code and request id of a direct one', async () => {
    const raw = await chat(stack.gatewayUrls[0], stack.ownerKey, 'tstream-close', {
      stream: true,
    });

    expect(raw.status).toBe(200);
    const events = raw.text.split('\n\n').filter((event) => event.startsWith('data: '));
    const last = JSON.parse(events[events.length - 1].slice('data: '.length)) as {
      error: Record<string, unknown>;
    };
    expect(last.error).toMatchObject({
      code: 'upstream_stream_incomplete',
      request_id: raw.headers.get('x-request-id'),
    });
  });

  it('wakes a sleeping key as soon as its owner changes it', async () => {
    await chat(stack.gatewayUrls[0], stack.ownerKey, 'drowsy-model');
    await chat(stack.gatewayUrls[0], stack.ownerKey, 'drowsy-model');
    const asleep = (await keyHealth(admin)).Sleeping.map((key) => key.ID);

    const changed = await admin.request('PUT', `/x-keys/${ids.drowsy}`, { Name: 'e2e drowsy 2' });

    expect(asleep).toContain(ids.drowsy);
    expect(changed.status).toBe(200);
    await eventually(async () => {
      const health = await keyHealth(second);

      return health.Sleeping.some((key) => key.ID === ids.drowsy) ? undefined : true;
    });
    const explained = await second.request('GET', '/x-route?model=drowsy-model');
    const keys = (explained.json.Levels as Array<{ Keys: Array<Record<string, unknown>> }>)[0].Keys;
    expect(keys.find((key) => key.ID === ids.drowsy)).toMatchObject({ State: 'active' });
  });
});

/** Waits until config's key-health history holds a transition of the key to `state`. */
async function expectRecordedByConfig(
  stack: RunningStack,
  providerKeyId: string,
  state: string,
): Promise<void> {
  const client = new Client({ connectionString: stack.databaseUrls.config });
  await client.connect();
  try {
    const row = await eventually(async () => {
      const result = await client.query<{ to_state: string; reason: string; detail: string }>(
        `SELECT to_state, reason, detail FROM config.key_health_events
          WHERE provider_key_id = $1 AND to_state = $2`,
        [providerKeyId, state],
      );

      return result.rows[0];
    });
    expect(row).toMatchObject({ to_state: state, reason: 'unauthorized', detail: 'HTTP 401' });
  } finally {
    await client.end();
  }
}
