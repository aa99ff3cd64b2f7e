import { RunningStack, startStack } from '@xai/devstack';

import { waitFor } from './audit-log.process';
import { addMockKey } from './stack-keys';

const SECRET = 'sk-fail-open-0123456789abcdef';
const PROMPT = 'a prompt that must never reach a log line';

// A gateway in fail-open mode with a tiny spool and memory buffer, over a redis-server of the
// stack's own that the test stops.
describe('fail-open: key-using requests are served while the trail cannot record them (e2e)', () => {
  let stack: RunningStack;

  const chat = (): Promise<Response> =>
    fetch(`${stack.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: PROMPT }] }),
    });
  const gatewayLog = (): string => stack.logs('gateway').join('\n');

  beforeAll(async () => {
    stack = await startStack({
      isolate: true,
      redisUrl: false,
      withMockProvider: true,
      logLevel: 'warn',
      env: {
        gateway: {
          XAI_AUDIT_FAIL_MODE: 'open',
          XAI_AUDIT_SPOOL_MAX_BYTES: String(64 * 1024),
          XAI_AUDIT_BUFFER_MAX_EVENTS: '10',
        },
      },
    });
    await addMockKey(stack, SECRET);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('serves every call, counts and logs what it drops without secrets, and recovers', async () => {
    expect((await chat()).status).toBe(200);
    await stack.stopInfra('redis');

    const statuses: number[] = [];
    await waitFor(
      async () => {
        statuses.push((await chat()).status);

        return gatewayLog().includes('events are being dropped') ? true : undefined;
      },
      90_000,
      'dropped events',
    );
    const ready = await fetch(`${stack.gatewayUrl}/readyz`);
    await stack.startInfra('redis');
    const summary = await waitFor(
      async () => {
        statuses.push((await chat()).status);
        const line = stack
          .logs('gateway')
          .find((candidate) => candidate.includes('events were dropped while'));

        return line;
      },
      60_000,
      'the drop summary',
    );
    const log = gatewayLog();

    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(ready.status).toBe(200);
    expect(summary).toMatch(/"dropped":[1-9]\d*/);
    for (const secret of [SECRET, stack.ownerKey, PROMPT]) expect(log).not.toContain(secret);
  }, 240_000);
});
