import { existsSync, writeFileSync } from 'node:fs';

import { RunningStack, startStack } from '@xai/devstack';

// Breaker5 throwaway: keeps a stack up for manual probing; deleted after use.
describe('breaker5 holder', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ isolate: true, withMockProvider: true });
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  }, 60_000);
  it('holds', async () => {
    writeFileSync(
      '/tmp/breaker5/stack.json',
      JSON.stringify({
        gatewayUrl: stack.gatewayUrl,
        ownerKey: stack.ownerKey,
        mockProviderUrl: stack.mockProviderUrl,
        dataDir: stack.dataDir,
      }),
    );
    const deadline = Date.now() + 70 * 60_000;
    while (!existsSync('/tmp/breaker5/stop') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }, 75 * 60_000);
});
