import type { RunningStack } from '@xai/devstack';

/** Stores a provider key on the stack's mock provider as the owner; resolves to its id. */
export async function addMockKey(
  stack: RunningStack,
  secret: string,
  fields: Record<string, unknown> = {},
): Promise<string> {
  const response = await fetch(`${stack.gatewayUrl}/x-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      SecretKey: secret,
      Name: 'mock',
      Level: 1,
      Provider: stack.mockProviderUrl,
      Status: true,
      ...fields,
    }),
  });
  if (response.status !== 201) {
    throw new Error(`the mock key was not stored: ${response.status} ${await response.text()}`);
  }

  return ((await response.json()) as { ID: string }).ID;
}
