import Anthropic from '@anthropic-ai/sdk';
import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';

import { AdminClient } from './admin-client';
import { MockControl } from './mock-control';
import { addMockKeys } from './mock-keys';

const OPENAI_SECRET = 'sk-surface-openai-0001';
const ANTHROPIC_SECRET = 'sk-ant-surface-anthropic-0002';
const BODY_LIMIT = 1024 * 1024;

type Json = Record<string, unknown>;

/** An answer read whole, its body parsed as JSON. */
async function read(response: Response): Promise<{ status: number; json: Json; id: string }> {
  return {
    status: response.status,
    json: (await response.json()) as Json,
    id: response.headers.get('x-request-id') ?? '',
  };
}

/** OpenAI's error shape, with the request id of the header. */
function expectOpenAiShape(answer: { status: number; json: Json; id: string }, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.id).toMatch(/^req_/);
  expect(answer.json.error).toMatchObject({ message: expect.any(String), request_id: answer.id });
}

/** Anthropic's error shape, with the request id of the header. */
function expectAnthropicShape(answer: { status: number; json: Json; id: string }, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.json).toMatchObject({
    type: 'error',
    error: { type: expect.any(String), message: expect.any(String) },
    request_id: answer.id,
  });
}

describe('API surface: model lookups, limits, and errors in the caller’s shape', () => {
  let stack: RunningStack;
  let mock: MockControl;
  let openai: OpenAI;
  let anthropic: Anthropic;

  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${stack.ownerKey}`, ...init.headers },
    });
  const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
    call(path, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
        ...headers,
      },
    });

  beforeAll(async () => {
    stack = await startStack({
      isolate: true,
      withMockProvider: true,
      env: { gateway: { XAI_BODY_LIMIT_BYTES: String(BODY_LIMIT), XAI_JSON_MAX_DEPTH: '64' } },
    });
    const admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    mock = new MockControl(stack.mockProviderUrl ?? '');
    await addMockKeys(
      admin,
      stack.mockProviderUrl,
      { openai: OPENAI_SECRET, anthropic: ANTHROPIC_SECRET },
      {
        LevelMapper: 'gpt*=1, claude*=2',
        DefaultLevel: 7,
      },
    );
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

  describe('GET /v1/models/{id}', () => {
    it('returns a reachable model in OpenAI’s shape', async () => {
      const model = await openai.models.retrieve('gpt-4o-mini');

      expect(model).toMatchObject({ id: 'gpt-4o-mini', object: 'model' });
    });

    it('answers 404 for a model the caller cannot reach, even one a provider lists', async () => {
      // The mock lists text-embedding-3-small, but no rule routes it to a level with a key.
      const listed = await openai.models.list();
      const unreachable = await read(await call('/v1/models/text-embedding-3-small'));

      expect(listed.data.map((entry) => entry.id)).not.toContain('text-embedding-3-small');
      expectOpenAiShape(unreachable, 404);
      await expect(openai.models.retrieve('no-such-model')).rejects.toBeInstanceOf(
        OpenAI.NotFoundError,
      );
    });

    it('answers in Anthropic’s shapes to the Anthropic SDK', async () => {
      const page = await anthropic.models.list();
      const model = await anthropic.models.retrieve('gpt-4o');

      expect(page.data.map((entry) => entry.id)).toContain('gpt-4o');
      expect(model).toMatchObject({ type: 'model', id: 'gpt-4o' });
      await expect(anthropic.models.retrieve('no-such-model')).rejects.toBeInstanceOf(
        Anthropic.NotFoundError,
      );
    });
  });

  describe('limits', () => {
    const big = JSON.stringify({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x'.repeat(BODY_LIMIT) }],
    });

    it('refuses a body past the limit with a 413 in the caller’s shape', async () => {
      expectOpenAiShape(await read(await postJson('/v1/chat/completions', big)), 413);
      const messages = await read(await postJson('/v1/messages', big));
      expectAnthropicShape(messages, 413);
      expect((messages.json.error as Json).type).toBe('request_too_large');
      const upload = await read(
        await call('/v1/audio/transcriptions', {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=b' },
          body: Buffer.alloc(BODY_LIMIT + 1, 0x61),
        }),
      );
      expectOpenAiShape(upload, 413);
    });

    it('refuses JSON nested past the depth limit with a 400', async () => {
      const deep = `{"model":"gpt-4o","messages":[],"x":${'['.repeat(100)}${']'.repeat(100)}}`;

      expectOpenAiShape(await read(await postJson('/v1/chat/completions', deep)), 400);
      expectAnthropicShape(await read(await postJson('/v1/messages', deep)), 400);
    });

    it('answers headers past the limit with a 431 in the caller’s shape', async () => {
      const huge = { 'x-padding': 'p'.repeat(40 * 1024) };

      expectOpenAiShape(await read(await postJson('/v1/chat/completions', '{}', huge)), 431);
      expectAnthropicShape(await read(await postJson('/v1/messages', '{}', huge)), 431);
    });

    it('answers a path parameter past the limit with a 414 in OpenAI’s shape', async () => {
      const long = await read(await call(`/x-prices/${'m'.repeat(2000)}`, { method: 'DELETE' }));

      expectOpenAiShape(long, 414);
    });

    it('answers a price model name with a NUL with a 400, not a retryable 503', async () => {
      const put = await read(
        await call('/x-prices/gpt%00x', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ Input: '1', Output: '2' }),
        }),
      );
      const removed = await read(await call('/x-prices/gpt%00x', { method: 'DELETE' }));

      expectOpenAiShape(put, 400);
      expectOpenAiShape(removed, 400);
    });
  });

  describe('upstream errors and headers', () => {
    it('adds the request id to a relayed error body of the caller’s shape', async () => {
      await mock.behave({ apiKey: OPENAI_SECRET, status: 400, times: 1 });
      await mock.behave({ apiKey: ANTHROPIC_SECRET, status: 400, times: 1 });
      const chat = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
      const message = JSON.stringify({
        model: 'claude-x',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });

      expectOpenAiShape(await read(await postJson('/v1/chat/completions', chat)), 400);
      expectAnthropicShape(await read(await postJson('/v1/messages', message)), 400);
    });

    it('adds the request id to a provider error translated into the caller’s shape', async () => {
      await mock.behave({ apiKey: OPENAI_SECRET, status: 400, times: 1 });
      const message = JSON.stringify({
        model: 'gpt-4o',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });

      expectAnthropicShape(await read(await postJson('/v1/messages', message)), 400);
    });

    it('relays Anthropic’s rate-limit headers and request id on pass-through', async () => {
      await mock.behave({
        apiKey: ANTHROPIC_SECRET,
        headers: { 'anthropic-ratelimit-requests-remaining': '41' },
        times: 1,
      });

      const { data, response } = await anthropic.messages
        .create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();

      expect(data.type).toBe('message');
      expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('41');
      const records = await mock.requests(ANTHROPIC_SECRET);
      const upstreamId = (records.at(-1) as unknown as { id: string }).id;
      expect(response.headers.get('request-id')).toBe(upstreamId);
      expect(response.headers.get('x-upstream-request-id')).toBe(upstreamId);
    });

    it('ends a broken Anthropic pass-through stream with an Anthropic error event', async () => {
      await mock.behave({ apiKey: ANTHROPIC_SECRET, failAfterChunks: 2, times: 1 });
      const body = JSON.stringify({
        model: 'claude-x',
        max_tokens: 10,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      });

      const response = await postJson('/v1/messages', body);
      const text = await response.text();

      expect(response.status).toBe(200);
      const events = text.trim().split('\n\n');
      expect(events[0]).toContain('event: message_start');
      const last = events.at(-1) ?? '';
      expect(last.split('\n')[0]).toBe('event: error');
      expect(JSON.parse(last.split('\n')[1].slice('data: '.length))).toEqual({
        type: 'error',
        error: { type: 'api_error', message: expect.any(String) },
        request_id: response.headers.get('x-request-id'),
      });
    });
  });
});
