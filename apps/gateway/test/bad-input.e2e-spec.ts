import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';

import { AdminClient } from './admin-client';
import { MockControl } from './mock-control';

/** The error body every refusal must have: OpenAI's shape, with the request id. */
function expectOpenAiError(
  result: { status: number; json: Record<string, unknown>; headers: Headers },
  status: number,
  code: string,
): { message: string } {
  const error = result.json.error as Record<string, unknown>;
  expect(result.status).toBe(status);
  expect(error).toMatchObject({ code, type: expect.any(String), message: expect.any(String) });
  expect(error.request_id).toBe(result.headers.get('x-request-id'));

  return error as { message: string };
}

describe('bad input gets a clear OpenAI-shaped error and changes nothing', () => {
  let stack: RunningStack;
  let admin: AdminClient;

  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true });
    admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    const created = await admin.request('POST', '/x-keys', {
      SecretKey: 'sk-bad-input-test-key-0001',
      Name: 'only key',
      Level: 1,
      Provider: stack.mockProviderUrl,
    });
    expect(created.status).toBe(201);
    const conf = await admin.request('POST', '/x-conf', {
      LevelMapper: 'gpt-*=1',
      DefaultLevel: 7,
    });
    expect(conf.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('refuses malformed JSON on the public and the management API', async () => {
    const chat = await admin.request(
      'POST',
      '/v1/chat/completions',
      undefined,
      '{"model": "gpt-4o",',
    );
    const keys = await admin.request('POST', '/x-keys', undefined, '{"SecretKey": ');

    expectOpenAiError(chat, 400, 'invalid_json');
    expect(keys.status).toBe(400);
    expect((keys.json.error as Record<string, unknown>).request_id).toBe(
      keys.headers.get('x-request-id'),
    );
  });

  it('refuses a management body with a "__proto__" key for that key, not as invalid JSON', async () => {
    const before = await admin.request('GET', '/x-conf');

    const top = await admin.request(
      'POST',
      '/x-conf',
      undefined,
      '{"ModelMapper":"a=b","__proto__":{}}',
    );
    const nested = await admin.request(
      'POST',
      '/x-keys',
      undefined,
      '{"Name":"n","Config":{"extra":{"constructor":{"prototype":{}}}}}',
    );

    for (const [result, key] of [
      [top, '__proto__'],
      [nested, 'constructor.prototype'],
    ] as const) {
      const error = expectOpenAiError(result, 400, 'invalid_request');
      expect(error.message).toContain(`holds a "${key}" key`);
      expect(error.message).not.toContain('not valid JSON');
    }
    expect(expectOpenAiError(nested, 400, 'invalid_request')).toMatchObject({
      param: 'Config.extra',
    });
    expect((await admin.request('GET', '/x-conf')).json).toEqual(before.json);
  });

  it('answers 503 naming the level when no provider key is configured for a model', async () => {
    const result = await admin.request('POST', '/v1/chat/completions', {
      model: 'llama-3-70b',
      messages: [{ role: 'user', content: 'hi' }],
    });

    const error = expectOpenAiError(result, 503, 'model_not_routable');
    expect(error).toMatchObject({ type: 'api_error', param: 'model' });
    expect(error.message).toContain('level 7');
    expect(error.message).toContain('no provider keys configured');
    expect(result.headers.get('x-xai-level')).toBe('7');
    expect(result.headers.get('x-xai-attempts')).toBe('0');
    expect(result.headers.get('x-xai-upstream-model')).toBe('llama-3-70b');
  });

  it('routes a model name exactly as given, and explains it on /x-route the same way', async () => {
    const padded = ' gpt-4o';

    const call = await admin.request('POST', '/v1/chat/completions', {
      model: padded,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const explained = await admin.request('GET', `/x-route?model=${encodeURIComponent(padded)}`);
    const blank = await admin.request('GET', '/x-route?model=%20%20');
    const tooLong = await admin.request('GET', `/x-route?model=${'m'.repeat(257)}`);

    // " gpt-4o" matches no "gpt-*" rule on either path: both take it to the default level 7.
    expect(call.status).toBe(503);
    expect(call.headers.get('x-xai-level')).toBe('7');
    expect(explained.json).toMatchObject({ Model: padded, Level: 7 });
    expectOpenAiError(blank, 400, 'invalid_request');
    expectOpenAiError(tooLong, 400, 'invalid_request');
  });

  it('refuses a missing or wrong virtual key, through the OpenAI SDK too', async () => {
    const missing = await fetch(`${stack.gatewayUrl}/v1/models`);
    const wrongSdk = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: 'xai-not-a-real-key',
      maxRetries: 0,
    });

    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      'missing_api_key',
    );
    await expect(wrongSdk.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const forged = new AdminClient(stack.gatewayUrl, `${stack.ownerKey.slice(0, -1)}x`);
    expectOpenAiError(await forged.request('GET', '/x-keys'), 401, 'invalid_api_key');
  });

  it('refuses a provider key with missing fields and stores nothing', async () => {
    const before = await admin.request('GET', '/x-keys');

    const result = await admin.request('POST', '/x-keys', { Name: 'no secret', Level: 1 });

    const error = expectOpenAiError(result, 400, 'invalid_request');
    expect(error.message).toContain('SecretKey');
    expect(error.message).toContain('Provider');
    expect((await admin.request('GET', '/x-keys')).json).toEqual(before.json);
  });

  it('refuses a provider URL on a private address unless allowed', async () => {
    // This stack allows private upstreams (its mock provider is on loopback), so the check is
    // exercised through the scheme rule here; the address rules have unit tests in libs/providers.
    const result = await admin.request('POST', '/x-keys', {
      SecretKey: 'sk-should-not-be-stored-0002',
      Name: 'bad scheme',
      Level: 1,
      Provider: 'file:///etc/passwd',
    });

    expect(result.status).toBe(400);
  });

  it('refuses a LevelMapper with bad syntax, naming the item, and keeps the old rules', async () => {
    const before = await admin.request('GET', '/x-conf');

    const result = await admin.request('POST', '/x-conf', { LevelMapper: 'gpt-4*=1,claude*' });

    const error = expectOpenAiError(result, 400, 'invalid_request');
    expect(error.message).toContain('claude*');
    expect((await admin.request('GET', '/x-conf')).json).toEqual(before.json);
  });

  it('routes a model named with an emoji and percent-encodes it in the route headers', async () => {
    const served = await admin.request('POST', '/v1/chat/completions', {
      model: 'gpt-😀',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const unrouted = await admin.request('POST', '/v1/chat/completions', {
      model: 'x-😀',
      messages: [{ role: 'user', content: 'hi' }],
    });

    expect(served.status).toBe(200);
    expect(served.headers.get('x-xai-upstream-model')).toBe('gpt-%F0%9F%98%80');
    expect(served.headers.get('x-xai-route-rule')).toBe('level gpt-*=1');
    expectOpenAiError(unrouted, 503, 'model_not_routable');
    expect(unrouted.headers.get('x-xai-upstream-model')).toBe('x-%F0%9F%98%80');
  });

  it('looks up a model id holding a percent sign as it is, without decoding it twice', async () => {
    const result = await admin.request('GET', '/v1/models/gpt-100%25');

    const error = expectOpenAiError(result, 404, 'not_found');
    expect(error.message).toContain("No model named 'gpt-100%'");
  });

  it('refuses a model name holding a lone surrogate before calling anyone', async () => {
    const body = '{"model":"gpt-\\ud83d","messages":[{"role":"user","content":"hi"}]}';

    const result = await admin.request('POST', '/v1/chat/completions', undefined, body);

    const error = expectOpenAiError(result, 400, 'invalid_request');
    expect(error).toMatchObject({ param: 'model' });
    expect(error.message).toContain('lone surrogate');
  });

  it('refuses a lone surrogate in a management field, naming it, and stores nothing', async () => {
    const [keysBefore, membersBefore] = await Promise.all([
      admin.request('GET', '/x-keys'),
      admin.request('GET', '/x-users'),
    ]);
    const key = `"SecretKey":"sk-surrogate-0003","Level":1,"Provider":"${stack.mockProviderUrl}"`;

    const results = [
      await admin.request('POST', '/x-users', undefined, '{"Name":"m","ModelMapper":"a=\\ud800"}'),
      await admin.request('POST', '/x-keys', undefined, `{${key},"Name":"n\\udfff"}`),
      await admin.request('POST', '/x-conf', undefined, '{"LevelMapper":"\\ud83d*=1"}'),
    ];

    const fields = results.map((result) => {
      const error = expectOpenAiError(result, 400, 'invalid_request');
      expect(error.message).toContain('lone UTF-16 surrogate');

      return (error as { param?: string }).param;
    });
    expect(fields).toEqual(['ModelMapper', 'Name', 'LevelMapper']);
    expect((await admin.request('GET', '/x-keys')).json).toEqual(keysBefore.json);
    expect((await admin.request('GET', '/x-users')).json).toEqual(membersBefore.json);
  });

  it("wraps a provider error that is not JSON in the caller's error shape, status unchanged", async () => {
    await new MockControl(stack.mockProviderUrl ?? '').behave({
      ...{ apiKey: 'sk-bad-input-test-key-0001', model: 'gpt-html' },
      ...{ status: 404, body: '<html><body><h1>Not Found</h1></body></html>' },
    });

    const result = await admin.request('POST', '/v1/chat/completions', {
      model: 'gpt-html',
      messages: [{ role: 'user', content: 'hi' }],
    });

    expect(result.status).toBe(404);
    expect(result.headers.get('content-type')).toContain('application/json');
    const error = result.json.error as Record<string, unknown>;
    expect(error).toMatchObject({ type: 'not_found_error' });
    expect(error.message).toContain('Not Found');
    expect(error.request_id).toBe(result.headers.get('x-request-id'));
  });

  it('names the field the caller sent when config refuses a value', async () => {
    const mapper = await admin.request('POST', '/x-conf', { ModelMapper: 'gpt-4=a,gpt-4=b' });
    const invisible = await admin.request('POST', '/x-conf', { LevelMapper: 'gpt-\u200b4=1' });
    const member = await admin.request('POST', '/x-users', { Name: 'm', ModelMapper: 'a=b c' });
    const badId = await admin.request('PUT', '/x-users/not-a-uuid', { Name: 'x' });

    const errors = [mapper, invisible, member].map((result) =>
      expectOpenAiError(result, 400, 'invalid_request'),
    );
    expect(errors[0]).toMatchObject({ param: 'ModelMapper' });
    expect(errors[0].message).toBe(
      'ModelMapper item 2 "gpt-4=b" repeats the pattern of item 1, so it could never match',
    );
    expect(errors[1]).toMatchObject({ param: 'LevelMapper' });
    expect(errors[1].message).toContain('invisible character (U+200B)');
    expect(errors[2]).toMatchObject({ param: 'ModelMapper' });
    expect(errors[2].message).not.toContain('model_mapper');
    expect(expectOpenAiError(badId, 400, 'invalid_request')).toMatchObject({
      param: 'ID',
      message: 'ID: must be a UUID',
    });
  });

  it('accepts a DELETE that says application/json but sends no body', async () => {
    const created = await admin.request('POST', '/x-users', { Name: 'short-lived' });
    expect(created.status).toBe(201);

    const deleted = await fetch(`${stack.gatewayUrl}/x-users/${String(created.json.ID)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
    });

    expect(deleted.status).toBe(200);
  });

  it('refuses a body that is not UTF-8 instead of altering its bytes, on every API', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"model":"gpt-4o","messages":[{"role":"user","content":"'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('"}],"max_tokens":5}'),
    ]);
    const headers = {
      authorization: `Bearer ${stack.ownerKey}`,
      'content-type': 'application/json',
    };

    const chat = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      ...{ method: 'POST', headers, body: bytes },
    });
    const messages = await fetch(`${stack.gatewayUrl}/v1/messages`, {
      ...{ method: 'POST', headers, body: bytes },
    });
    const member = await fetch(`${stack.gatewayUrl}/x-users`, {
      method: 'POST',
      headers,
      body: Buffer.concat([Buffer.from('{"Name":"m'), Buffer.from([0xff]), Buffer.from('"}')]),
    });

    expect(chat.status).toBe(400);
    expect(((await chat.json()) as { error: { message: string } }).error.message).toBe(
      'The request body is not valid UTF-8.',
    );
    expect(messages.status).toBe(400);
    expect(await messages.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'The request body is not valid UTF-8.' },
    });
    expect(member.status).toBe(400);
    expect(((await member.json()) as { error: { message: string } }).error.message).toBe(
      'The request body is not valid UTF-8.',
    );
  });

  it('refuses a management body past 256 KiB, and a form or text body, before any parse', async () => {
    const headers = { authorization: `Bearer ${stack.ownerKey}` };
    const large = await fetch(`${stack.gatewayUrl}/x-users`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: `[${'0,'.repeat(140_000)}0]`,
    });
    const text = await fetch(`${stack.gatewayUrl}/x-users`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(300_000),
    });
    const form = await fetch(`${stack.gatewayUrl}/x-users`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.concat([Buffer.from('Name=caf'), Buffer.from([0xe9])]),
    });

    expect(large.status).toBe(413);
    expect(((await large.json()) as { error: unknown }).error).toBeDefined();
    expect(form.status).toBe(415);
    expect(text.status).toBe(415);
    expect(((await form.json()) as { error: unknown }).error).toBeDefined();
    const members = (await admin.request('GET', '/x-users')).json as unknown as {
      data?: Array<{ Name: string }>;
    };
    expect(JSON.stringify(members)).not.toContain('caf');
  });

  it("refuses unknown routes and methods in Anthropic's shape for Anthropic clients", async () => {
    const get = await fetch(`${stack.gatewayUrl}/v1/messages`, {
      headers: { 'x-api-key': stack.ownerKey, 'anthropic-version': '2023-06-01' },
    });
    const batches = await fetch(`${stack.gatewayUrl}/v1/messages/batches`, {
      ...{ method: 'POST', headers: { 'x-api-key': stack.ownerKey }, body: '{}' },
    });

    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
      request_id: get.headers.get('x-request-id'),
    });
    expect(batches.status).toBe(404);
    expect(await batches.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: 'Unknown route: POST /v1/messages/batches.' },
      request_id: batches.headers.get('x-request-id'),
    });
  });

  it("answers 431 in the caller's shape to a request with thousands of small headers", async () => {
    const headers: Record<string, string> = { 'anthropic-version': '2023-06-01' };
    for (let i = 0; i < 3000; i++) headers[`x-h-${i}`] = 'v';

    const result = await fetch(`${stack.gatewayUrl}/v1/messages`, {
      ...{ method: 'POST', headers, body: '{}' },
    });

    expect(result.status).toBe(431);
    expect(await result.json()).toMatchObject({
      type: 'error',
      error: { message: 'The request has more than 1000 headers.' },
      request_id: result.headers.get('x-request-id'),
    });
  });

  it('streams a chat completion the provider answered without streaming', async () => {
    const message = { role: 'assistant', content: 'whole answer' };
    await new MockControl(stack.mockProviderUrl ?? '').behave({
      ...{ apiKey: 'sk-bad-input-test-key-0001', model: 'gpt-whole' },
      body: {
        ...{ id: 'chatcmpl-w', object: 'chat.completion', created: 1, model: 'gpt-whole' },
        choices: [{ index: 0, message, finish_reason: 'stop' }],
        usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 },
      },
    });
    const client = new OpenAI({
      ...{ baseURL: `${stack.gatewayUrl}/v1`, apiKey: stack.ownerKey, maxRetries: 0 },
    });

    const stream = await client.chat.completions.create({
      ...{ model: 'gpt-whole', stream: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'whole answer',
    );
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    // The router asked for usage to meter the call; the client did not, so it sees none.
    expect(chunks.every((chunk) => chunk.usage === undefined || chunk.usage === null)).toBe(true);
  });

  it('ends an Anthropic stream with an error event when the provider answered without streaming', async () => {
    const message = { role: 'assistant', content: 'whole answer' };
    await new MockControl(stack.mockProviderUrl ?? '').behave({
      ...{ apiKey: 'sk-bad-input-test-key-0001', model: 'gpt-whole-messages' },
      body: {
        ...{ id: 'chatcmpl-w', object: 'chat.completion', created: 1, model: 'gpt-whole' },
        choices: [{ index: 0, message, finish_reason: 'stop' }],
        usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 },
      },
    });

    const result = await fetch(`${stack.gatewayUrl}/v1/messages`, {
      method: 'POST',
      headers: {
        ...{ 'x-api-key': stack.ownerKey, 'anthropic-version': '2023-06-01' },
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        ...{ model: 'gpt-whole-messages', max_tokens: 16, stream: true },
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    const text = await result.text();

    expect(result.status).toBe(200);
    expect(text).toContain('event: error');
    expect(text).toContain('without streaming');
    expect(text).not.toContain('whole answer');
  });

  it('refuses unknown fields in the configuration instead of ignoring them', async () => {
    const result = await admin.request('POST', '/x-conf', { LevelMaper: 'gpt-4*=1' });

    const error = expectOpenAiError(result, 400, 'invalid_request');
    expect(error.message).toContain('LevelMaper');
  });
});
