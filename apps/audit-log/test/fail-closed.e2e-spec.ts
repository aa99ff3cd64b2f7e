import { RunningStack, startStack } from '@xai/devstack';

import { waitFor } from './audit-log.process';
import { addMockKey } from './stack-keys';

// A gateway with a tiny audit spool, over a redis-server of the stack's own that the test stops.
describe('fail-closed: key-using requests are refused while the trail cannot record them (e2e)', () => {
  let stack: RunningStack;

  const chat = (): Promise<Response> =>
    fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x'.repeat(200) }],
      }),
    });

  beforeAll(async () => {
    stack = await startStack({
      isolate: true,
      redisUrl: false,
      withMockProvider: true,
      logLevel: 'warn',
      env: { gateway: { XAI_AUDIT_SPOOL_MAX_BYTES: String(128 * 1024) } },
    });
    await addMockKey(stack, 'sk-fail-closed-0123456789');
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('answers 503 in OpenAI shape once the spool is full, and serves again when Redis is back', async () => {
    expect((await chat()).status).toBe(200);
    await stack.stopInfra('redis');

    const refused = await waitFor(
      async () => {
        const response = await chat();

        return response.status === 503 ? response : undefined;
      },
      60_000,
      'a refusal',
    );
    const body = (await refused.json()) as {
      error: { type: string; code: string; message: string };
    };
    const providerCallsBefore = await mockCalls(stack);
    const again = await chat();
    const providerCallsAfter = await mockCalls(stack);
    await stack.startInfra('redis');
    const served = await waitFor(
      async () => ((await chat()).status === 200 ? true : undefined),
      30_000,
      'service again',
    );

    expect(body.error).toMatchObject({ type: 'api_error', code: 'dependency_unavailable' });
    expect(body.error.message).toMatch(/audit trail/);
    expect(again.status).toBe(503);
    expect(providerCallsAfter).toBe(providerCallsBefore);
    expect(served).toBe(true);
  }, 180_000);
});

async function mockCalls(stack: RunningStack): Promise<number> {
  const records = (await (
    await fetch(`${stack.mockProviderUrl}/_mock/requests`)
  ).json()) as unknown[];

  return records.length;
}
