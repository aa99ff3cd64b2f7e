import { RunningStack, StartStackOptions, startStack } from '@xai/devstack';
import OpenAI from 'openai';

import { AdminClient } from './admin-client';

/** A running stack with one provider key, and an OpenAI client of its owner. */
export interface OneKeyStack {
  stack: RunningStack;
  openai: OpenAI;
}

/**
 * Starts a stack with the mock provider and `secret` as its one provider key (level 1). The
 * gateway is restarted after adding it, so its first call opens the key through key-vault
 * rather than from the plaintext adding it left in the cache.
 */
export async function startOneKeyStack(
  secret: string,
  env: StartStackOptions['env'],
): Promise<OneKeyStack> {
  const stack = await startStack({ isolate: true, withMockProvider: true, env });
  const admin = new AdminClient(stack.gatewayUrl, stack.ownerKey);
  const key = await admin.request('POST', '/x-keys', {
    SecretKey: secret,
    Name: 'mock',
    Level: 1,
    Provider: stack.mockProviderUrl,
    Status: true,
  });
  if (key.status !== 201) throw new Error(`adding the provider key answered ${key.status}`);
  await stack.restart('gateway');
  const openai = new OpenAI({
    baseURL: `${stack.gatewayUrl}/v1`,
    apiKey: stack.ownerKey,
    maxRetries: 0,
  });

  return { stack, openai };
}
