import { RunningStack } from '@xai/devstack';
import OpenAI from 'openai';

import { AdminClient, eventually } from './admin-client';
import { MockControl } from './mock-control';
import { startOneKeyStack } from './one-key-stack';

const SECRET = 'sk-e2e-event-size-7c1d9a4e2b';
const BODY_LIMIT = 4 * 1024 * 1024;

/** A Responses stream whose finished item carries a base64 image of `size` characters. */
function imageStream(size: number): string {
  const event = (type: string, fields: object): string =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
  const response = { id: 'resp_big', object: 'response', status: 'in_progress', output: [] };
  const item = { id: 'ig_1', type: 'image_generation_call', status: 'completed' };

  return [
    event('response.created', { sequence_number: 0, response }),
    event('response.output_item.done', {
      sequence_number: 1,
      output_index: 0,
      item: { ...item, result: 'A'.repeat(size) },
    }),
    event('response.completed', {
      sequence_number: 2,
      response: { ...response, status: 'completed', output: [item] },
    }),
  ].join('');
}

/**
 * Provider stream events larger than 1 MiB (issue #5): a Responses image_generation stream
 * carries the image whole in one event. Up to XAI_BODY_LIMIT_BYTES they pass; past it the
 * stream ends with an error event of its own, and the key is not blamed.
 */
describe('stream events of a pass-through stream', () => {
  let stack: RunningStack;
  let openai: OpenAI;
  let mock: MockControl;
  let admin: AdminClient;

  const answerWith = (model: string, size: number) =>
    mock.behave({
      apiKey: SECRET,
      model,
      status: 200,
      body: imageStream(size),
      headers: { 'content-type': 'text/event-stream' },
    });

  beforeAll(async () => {
    ({ stack, openai } = await startOneKeyStack(SECRET, {
      gateway: { XAI_BODY_LIMIT_BYTES: String(BODY_LIMIT) },
    }));
    mock = new MockControl(stack.mockProviderUrl ?? '');
    admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('relays a 1.5 MiB event whole', async () => {
    await answerWith('gpt-image-big', 1.5 * 1024 * 1024);
    const results: number[] = [];

    const stream = await openai.responses.create({
      model: 'gpt-image-big',
      input: 'draw a cat',
      tools: [{ type: 'image_generation' }],
      stream: true,
    });
    for await (const event of stream) {
      if (event.type === 'response.output_item.done' && event.item.type === 'image_generation_call')
        results.push(event.item.result?.length ?? 0);
    }

    expect(results).toEqual([1.5 * 1024 * 1024]);
  });

  it('ends an event past the body limit with its own error, and leaves the key awake', async () => {
    await answerWith('gpt-image-huge', BODY_LIMIT + 1024);

    const response = await fetch(`${stack.gatewayUrl}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-image-huge', input: 'draw', stream: true }),
    });
    const text = await response.text();
    const requestId = response.headers.get('x-request-id') ?? '';

    expect(text).toContain('"code":"upstream_event_too_large"');
    expect(text).not.toMatch(/connection|unreachable/i);
    const audit = await eventually(async () => {
      const { json } = await admin.request('GET', `/x-audit?request_id=${requestId}`);
      const rows = json.data as Array<Record<string, unknown>>;

      return rows.length > 0 ? rows[0] : undefined;
    });
    expect(audit).toMatchObject({
      errorCode: 'upstream_event_too_large',
      errorClass: 'oversized_event',
    });
    const conf = await admin.request('GET', '/x-conf');
    expect(conf.json.KeyHealth).toMatchObject({ Sleeping: [], Dead: [] });
    const next = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'still there?' }],
    });
    expect(next.choices[0].message.content).toEqual(expect.any(String));
  });
});
