import { AdminClient, eventually } from './admin-client';
import { MockControl } from './mock-control';
import { OneKeyStack, startOneKeyStack } from './one-key-stack';

const SECRET = 'sk-graceful-stop-0123456789abcdefghij';

/**
 * A gateway told to stop (SIGTERM, as Kubernetes does) while it serves calls: every call under
 * way is answered in full, and every one is in the audit trail, the last ones included.
 */
describe('a gateway stopping while it serves calls (e2e)', () => {
  let running: OneKeyStack;
  let mock: MockControl;

  beforeAll(async () => {
    running = await startOneKeyStack(SECRET, {});
    mock = new MockControl(running.stack.mockProviderUrl ?? '');
  }, 120_000);

  afterAll(async () => {
    await running?.stack.stop();
  });

  it('finishes the calls and streams under way, cuts the one past the drain, and records each of them', async () => {
    const { stack, openai } = running;
    await mock.behave({ apiKey: SECRET, model: 'slow-model', chunkDelayMs: 3_000, times: 1 });
    await mock.behave({ apiKey: SECRET, delayMs: 1_200, chunkDelayMs: 150, times: 8 });
    // A stream longer than the drain allows (8 s): cut at shutdown, and recorded all the same.
    const cut = (async () => {
      const { data, response } = await openai.chat.completions
        .create({ model: 'slow-model', stream: true, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      const requestId = response.headers.get('x-request-id') ?? '';
      try {
        for await (const chunk of data) void chunk;
      } catch {
        // Cut by the stopping gateway, as expected.
      }

      return requestId;
    })();
    const whole = Array.from({ length: 4 }, () =>
      openai.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
        .withResponse(),
    );
    const streamed = Array.from({ length: 4 }, async () => {
      const { data, response } = await openai.chat.completions
        .create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      let text = '';
      for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? '';

      return { text, requestId: response.headers.get('x-request-id') ?? '' };
    });
    await new Promise((resolve) => setTimeout(resolve, 500));

    // SIGTERM while all eight wait on the provider; the supervisor then starts a new gateway.
    const restarted = stack.restart('gateway');
    const answers = await Promise.all(whole);
    const streams = await Promise.all(streamed);
    await restarted;

    for (const { data } of answers) expect(data.choices[0].message.content).toBeTruthy();
    for (const { text } of streams) expect(text.length).toBeGreaterThan(0);
    const requestIds = [
      ...answers.map(({ response }) => response.headers.get('x-request-id') ?? ''),
      ...streams.map(({ requestId }) => requestId),
    ];
    const cutId = await cut;
    const admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
    for (const requestId of requestIds) {
      const row = await eventually(async () => {
        const { json } = await admin.request('GET', `/x-audit?request_id=${requestId}`);
        const rows = json.data as Array<Record<string, unknown>>;

        return rows.length > 0 ? rows[0] : undefined;
      });
      expect(row).toMatchObject({ status: 200 });
    }
    const { json } = await admin.request('GET', `/x-audit?request_id=${cutId}`);
    expect(json.data).toHaveLength(1);
  }, 90_000);
});
