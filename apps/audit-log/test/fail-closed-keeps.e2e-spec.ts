import { RunningStack, startStack } from '@xai/devstack';

import { waitFor } from './audit-log.process';
import { addMockKey } from './stack-keys';

const SECRET = 'sk-fail-closed-keeps-0123456789';

// A gateway with the smallest audit spool and a tiny memory bound, over a redis-server of the
// stack's own that the test stops: calls already under way when the spool fills must still be
// recorded, however many refused calls come after them.
describe('fail-closed: events of calls that used a key are never dropped (e2e)', () => {
  let stack: RunningStack;

  const chat = async (): Promise<{ status: number; requestId: string }> => {
    const response = await fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x'.repeat(200) }],
      }),
    });
    await response.arrayBuffer();

    return { status: response.status, requestId: response.headers.get('x-request-id') ?? '' };
  };

  const recorded = async (requestId: string): Promise<boolean> => {
    const response = await fetch(
      `${stack.gatewayUrl}/x-audit?request_id=${encodeURIComponent(requestId)}`,
      { headers: { authorization: `Bearer ${stack.ownerKey}` } },
    );
    if (!response.ok) return false;

    return ((await response.json()) as { data: unknown[] }).data.length === 1;
  };

  beforeAll(async () => {
    stack = await startStack({
      isolate: true,
      redisUrl: false,
      withMockProvider: true,
      logLevel: 'warn',
      env: {
        gateway: {
          XAI_AUDIT_SPOOL_MAX_BYTES: String(64 * 1024),
          XAI_AUDIT_BUFFER_MAX_EVENTS: '5',
        },
      },
    });
    await addMockKey(stack, SECRET);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('keeps the events of served calls while refused ones overflow memory', async () => {
    await fetch(`${stack.mockProviderUrl}/_mock/behaviours`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: SECRET, delayMs: 15_000, times: 6 }),
    });
    const slow = Array.from({ length: 6 }, () => chat());
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await stack.stopInfra('redis');
    // Served calls fill the spool, then calls are refused and their events fill the rest.
    await waitFor(async () => ((await chat()).status === 503 ? true : undefined), 60_000, '503');
    for (let n = 0; n < 20; n++) await chat();

    const served = await Promise.all(slow);
    // The slow calls' events now wait in memory; these refusals overflow it.
    const refusals = [];
    for (let n = 0; n < 50; n++) refusals.push((await chat()).status);
    await stack.startInfra('redis');

    expect(served.map((call) => call.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(refusals)).toEqual(new Set([503]));
    await waitFor(
      async () => {
        const found = await Promise.all(served.map((call) => recorded(call.requestId)));

        return found.every(Boolean) ? true : undefined;
      },
      60_000,
      'every served call in the trail',
    );
  }, 240_000);
});
