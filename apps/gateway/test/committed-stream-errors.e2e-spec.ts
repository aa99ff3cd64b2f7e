import Anthropic from '@anthropic-ai/sdk';
import { RunningStack, startStack } from '@xai/devstack';
import OpenAI from 'openai';

import { AdminClient } from './admin-client';
import { MockControl } from './mock-control';

const KEEPALIVE_MS = 150;
/** Long enough for the keep-alive to send the status line before the provider answers. */
const LATE_MS = 6 * KEEPALIVE_MS;
const SECRETS = {
  refusing: 'sk-e2e-committed-refusing-4b7e1a9c',
  gone: 'sk-e2e-committed-gone-8d2f6c3a',
  anthropic: 'sk-ant-e2e-committed-5e9a2d7f',
};

/** One SSE event as a client reads it. */
interface ReadEvent {
  event: string | null;
  data: Record<string, unknown>;
}

/** A streamed call read whole: the status, the request id, the raw text and its events. */
interface ReadStream {
  status: number;
  requestId: string;
  text: string;
  events: ReadEvent[];
}

function eventsOf(text: string): ReadEvent[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n'))
    .filter((lines) => lines.some((line) => line.startsWith('data: ')))
    .map((lines) => ({
      event: lines.find((line) => line.startsWith('event: '))?.slice(7) ?? null,
      data: JSON.parse(
        lines
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n'),
      ) as Record<string, unknown>,
    }));
}

/**
 * Streams whose status line the keep-alive sent before the provider answered (issue #5): when
 * the provider then refuses, or no key is left, the stream ends in its endpoint's own events —
 * `error` then `response.failed` for the Responses API, Anthropic's `event: error` for Messages —
 * and the official SDKs raise the error.
 */
describe('errors after a keep-alive committed the stream', () => {
  let stack: RunningStack;
  let mock: MockControl;
  let openai: OpenAI;
  let anthropic: Anthropic;

  const stream = async (path: string, body: object): Promise<ReadStream> => {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.ownerKey}`,
        'content-type': 'application/json',
        ...(path === '/v1/messages' ? { 'anthropic-version': '2023-06-01' } : {}),
      },
      body: JSON.stringify({ ...body, stream: true }),
    });
    const text = await response.text();

    return {
      status: response.status,
      requestId: response.headers.get('x-request-id') ?? '',
      text,
      events: eventsOf(text),
    };
  };

  const late = (apiKey: string, status: number, times = 1) =>
    mock.behave({ apiKey, status, delayMs: LATE_MS, times });

  const expectResponsesFailure = (read: ReadStream, message: RegExp): void => {
    expect(read.status).toBe(200);
    expect(read.text.startsWith(': keep-alive\n\n')).toBe(true);
    expect(read.events.map((each) => each.event)).toEqual(['error', 'response.failed']);
    const [error, failed] = read.events.map((each) => each.data);
    expect(error).toMatchObject({
      type: 'error',
      sequence_number: 0,
      message: expect.stringMatching(message),
      error: { request_id: read.requestId, message: expect.stringMatching(message) },
    });
    expect(failed).toMatchObject({
      type: 'response.failed',
      sequence_number: 1,
      response: {
        id: expect.stringMatching(/^resp_/),
        object: 'response',
        status: 'failed',
        error: { message: expect.stringMatching(message) },
      },
    });
  };

  beforeAll(async () => {
    stack = await startStack({
      isolate: true,
      withMockProvider: true,
      env: { gateway: { XAI_STREAM_KEEPALIVE_MS: String(KEEPALIVE_MS) } },
    });
    const admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    mock = new MockControl(stack.mockProviderUrl ?? '');
    const keys = [
      { SecretKey: SECRETS.refusing, Level: 1, Config: { provider_type: 'openai' } },
      { SecretKey: SECRETS.anthropic, Level: 2, Config: { provider_type: 'anthropic' } },
      { SecretKey: SECRETS.gone, Level: 3, Config: { provider_type: 'openai' } },
    ];
    for (const key of keys) {
      const created = await admin.request('POST', '/x-keys', {
        ...key,
        Name: `committed ${key.Level}`,
        Provider: stack.mockProviderUrl,
        Status: true,
      });
      expect(created.status).toBe(201);
    }
    const conf = await admin.request('POST', '/x-conf', {
      LevelMapper: 'gpt-*=1, claude-*=2, gone-*=3',
    });
    expect(conf.status).toBe(200);
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

  it('ends a Responses stream with error then response.failed when the provider refuses late', async () => {
    await late(SECRETS.refusing, 400, 2);

    const read = await stream('/v1/responses', { model: 'gpt-x', input: 'Hi' });
    const raised = (async () => {
      const events = await openai.responses.create({ model: 'gpt-x', input: 'Hi', stream: true });
      for await (const event of events) expect(event.type).toBe('never reached');
    })();

    expectResponsesFailure(read, /refuse this request/);
    await expect(raised).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('ends a translated Responses stream the same way when the provider refuses late', async () => {
    await late(SECRETS.anthropic, 400);

    const read = await stream('/v1/responses', { model: 'claude-x', input: 'Hi' });

    expectResponsesFailure(read, /refuse this request/);
  });

  it('ends a Responses stream with error then response.failed when no key is left', async () => {
    await late(SECRETS.gone, 503);

    const read = await stream('/v1/responses', { model: 'gone-x', input: 'Hi' });

    expectResponsesFailure(read, /level 3/);
  });

  it('ends a Messages stream with Anthropic’s error event when the provider refuses late', async () => {
    await late(SECRETS.anthropic, 529, 2);

    const read = await stream('/v1/messages', {
      model: 'claude-x',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const raised = (async () => {
      const events = await anthropic.messages.create({
        model: 'claude-x',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
      });
      for await (const event of events) expect(event.type).toBe('never reached');
    })();

    expect(read.status).toBe(200);
    expect(read.text.startsWith(': keep-alive\n\n')).toBe(true);
    expect(read.events).toEqual([
      {
        event: 'error',
        data: expect.objectContaining({
          type: 'error',
          error: expect.objectContaining({ type: expect.any(String) }),
          request_id: read.requestId,
        }),
      },
    ]);
    await expect(raised).rejects.toBeInstanceOf(Anthropic.APIError);
  });
});
