import { RunningStack, startStack } from '@xai/devstack';
import OpenAI, { APIError, NotFoundError } from 'openai';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';

import { AdminClient, eventually } from './admin-client';
import { MockControl } from './mock-control';

/** Two OpenAI-type keys share level 1, so rotation alone would alternate between them. */
const SECRETS = {
  openaiA: 'sk-canary-stored-a-0a1b2c3d4e5f',
  openaiB: 'sk-canary-stored-b-6a7b8c9d0e1f',
  anthropic: 'sk-ant-canary-stored-2b3c4d5e6f7a',
};

describe('Stored responses through the gateway (e2e)', () => {
  let stack: RunningStack;
  let admin: AdminClient;
  let mock: MockControl;
  let openai: OpenAI;

  /** How many calls to `path` the mock saw with each of the two OpenAI keys. */
  const callsPerKey = async (method: string, path: string): Promise<number[]> => {
    const all = await Promise.all([mock.requests(SECRETS.openaiA), mock.requests(SECRETS.openaiB)]);

    return all.map(
      (records) =>
        records.filter((record) => record.method === method && record.path === path).length,
    );
  };

  /** Collects a streamed call's events; rethrows what the SDK raised, with the events before. */
  const drain = async (
    stream: AsyncIterable<ResponseStreamEvent>,
  ): Promise<{ events: ResponseStreamEvent[]; error?: unknown }> => {
    const events: ResponseStreamEvent[] = [];
    try {
      for await (const event of stream) events.push(event);
    } catch (error) {
      return { events, error };
    }

    return { events };
  };

  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true });
    admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    mock = new MockControl(stack.mockProviderUrl ?? '');
    openai = new OpenAI({
      baseURL: `${stack.gatewayUrl}/v1`,
      apiKey: stack.ownerKey,
      maxRetries: 0,
    });
    const keys = [
      { SecretKey: SECRETS.openaiA, Name: 'openai a', Level: 1 },
      { SecretKey: SECRETS.openaiB, Name: 'openai b', Level: 1 },
      {
        SecretKey: SECRETS.anthropic,
        Name: 'anthropic',
        Level: 2,
        Config: { provider_type: 'anthropic' },
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
    const conf = await admin.request('POST', '/x-conf', { LevelMapper: 'gpt*=1, claude*=2' });
    if (conf.status !== 200) throw new Error(JSON.stringify(conf.json));
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('reads a stored response back from the key that created it, whichever key rotation picks', async () => {
    const created = await openai.responses.create({ model: 'gpt-x', input: 'Remember me' });

    const reads: Response[] = [];
    for (let i = 0; i < 4; i++) reads.push(await openai.responses.retrieve(created.id));

    for (const read of reads) {
      expect(read.id).toBe(created.id);
      expect(read.output_text).toBe(created.output_text);
    }
    // The mock keeps a response with the key that made it: any other key would have got a 404.
    expect((await callsPerKey('GET', `/v1/responses/${created.id}`)).sort()).toEqual([0, 4]);
  });

  it('meters no tokens for reading a stored response back (they were metered when it was made)', async () => {
    const created = await openai.responses.create({ model: 'gpt-x', input: 'Meter me once' });

    const { response } = await openai.responses.retrieve(created.id).withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    const record = await eventually(async () => {
      const { json } = await admin.request('GET', `/x-audit?request_id=${requestId}`);

      return (json.data as Array<Record<string, unknown>>)[0];
    });

    expect(created.usage?.input_tokens).toBeGreaterThan(0);
    expect(record).toMatchObject({ status: 200, promptTokens: null, completionTokens: null });
  });

  it('remembers a streamed response by its response.created event, and lists its input items', async () => {
    const stream = await openai.responses.create({
      model: 'gpt-x',
      input: 'Stream and store',
      stream: true,
    });
    const { events } = await drain(stream);
    const id = events[0].type === 'response.created' ? events[0].response.id : '';

    const read = await openai.responses.retrieve(id);
    const items = await openai.responses.inputItems.list(id);

    expect(read.status).toBe('completed');
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'Stream and store' }],
    });
  });

  it('sends previous_response_id to the key holding that response, turn after turn', async () => {
    const before = await callsPerKey('POST', '/v1/responses');
    let previous = await openai.responses.create({ model: 'gpt-x', input: 'Turn 1' });

    for (let turn = 2; turn <= 5; turn++) {
      previous = await openai.responses.create({
        model: 'gpt-x',
        input: `Turn ${turn}`,
        previous_response_id: previous.id,
      });
    }

    expect(previous.previous_response_id).not.toBeNull();
    expect(previous.output_text).toMatch(/^Mock reply to 9 message\(s\)/);
    const after = await callsPerKey('POST', '/v1/responses');
    expect(after.map((count, key) => count - before[key]).sort()).toEqual([0, 5]);
  });

  it('deletes a stored response on its key, after which it is unknown', async () => {
    const created = await openai.responses.create({ model: 'gpt-x', input: 'Forget me' });

    const deleted = await fetch(`${stack.gatewayUrl}/v1/responses/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${stack.ownerKey}` },
    });
    const again = await openai.responses.retrieve(created.id).catch((error: unknown) => error);

    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({
      id: created.id,
      object: 'response.deleted',
      deleted: true,
    });
    expect(again).toBeInstanceOf(NotFoundError);
  });

  it('answers OpenAI’s 404 for an unknown id and for a response made through translation', async () => {
    const translated = await openai.responses.create({ model: 'claude-x', input: 'Hi' });
    const before = await callsPerKey('GET', `/v1/responses/${translated.id}`);

    const unknown = await fetch(`${stack.gatewayUrl}/v1/responses/resp_never_made`, {
      headers: { authorization: `Bearer ${stack.ownerKey}` },
    });
    const error = (await openai.responses
      .retrieve(translated.id)
      .catch((reason: unknown) => reason)) as APIError;

    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: {
        message: expect.stringContaining("Response with id 'resp_never_made' not found.") as string,
        type: expect.any(String) as string,
        param: 'response_id',
      },
    });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain('OpenAI-type provider keys');
    expect(error.message).toContain('translation for Anthropic and Gemini keys');
    expect(await callsPerKey('GET', `/v1/responses/${translated.id}`)).toEqual(before);
  });

  it('cancels a background response on its key, and passes on the refusal for another', async () => {
    const background = await openai.responses.create({
      model: 'gpt-x',
      input: 'Take your time',
      background: true,
    });
    const foreground = await openai.responses.create({ model: 'gpt-x', input: 'Quick' });

    const cancelled = await openai.responses.cancel(background.id);
    const refused = (await openai.responses
      .cancel(foreground.id)
      .catch((reason: unknown) => reason)) as APIError;

    expect(cancelled.id).toBe(background.id);
    expect(refused.status).toBe(400);
    expect(refused.message).toContain('background');
  });

  describe.each(['reset', 'close'] as const)(
    'a pass-through stream cut midway (%s)',
    (failMode) => {
      it('ends with Responses error events that the SDK raises', async () => {
        await mock.behave({ path: '/v1/responses', failAfterChunks: 3, failMode, times: 1 });

        const stream = await openai.responses.create({ model: 'gpt-x', input: 'Hi', stream: true });
        const { events, error } = await drain(stream);

        expect(events.map((event) => event.type)).toEqual([
          'response.created',
          'response.in_progress',
          'response.output_item.added',
        ]);
        expect(error).toBeInstanceOf(APIError);
        expect((error as APIError).message).toMatch(/ended unexpectedly|closed the stream/);
      });
    },
  );

  it('ends a translated stream cut midway (Anthropic key) with events the SDK raises too', async () => {
    await mock.behave({ path: '/v1/messages', failAfterChunks: 3, failMode: 'reset', times: 1 });

    const stream = await openai.responses.create({ model: 'claude-x', input: 'Hi', stream: true });
    const { events, error } = await drain(stream);

    expect(events[0].type).toBe('response.created');
    expect(error).toBeInstanceOf(APIError);
  });

  it('writes the error event and response.failed in sequence after the last event', async () => {
    await mock.behave({ path: '/v1/responses', failAfterChunks: 2, failMode: 'reset', times: 1 });

    const response = await fetch(`${stack.gatewayUrl}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-x', input: 'Hi', stream: true }),
    });
    const text = await response.text();
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('data: '))
      .map((block) => ({
        event: /^event: (.*)$/m.exec(block)?.[1],
        data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>,
      }));

    expect(events.map((event) => event.event)).toEqual([
      'response.created',
      'response.in_progress',
      'error',
      'response.failed',
    ]);
    expect(events.map((event) => event.data.sequence_number)).toEqual([0, 1, 2, 3]);
    expect(events[2].data).toMatchObject({
      type: 'error',
      code: 'upstream_stream_error',
      error: { code: 'upstream_stream_error', request_id: response.headers.get('x-request-id') },
    });
    expect(events[3].data).toMatchObject({
      response: { id: (events[0].data.response as { id: string }).id, status: 'failed' },
    });
  });

  it('relays the provider’s own error event, which the SDK raises', async () => {
    await mock.behave({
      path: '/v1/responses',
      failAfterChunks: 3,
      failMode: 'error-event',
      times: 1,
    });

    const stream = await openai.responses.create({ model: 'gpt-x', input: 'Hi', stream: true });
    const { events, error } = await drain(stream);

    expect(events).toHaveLength(3);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('The stream failed midway (mock).');
  });
});
