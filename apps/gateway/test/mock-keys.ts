import { AdminClient } from './admin-client';

/** Secrets of the two mock keys a test adds, and the rules that route to them. */
export interface MockKeySecrets {
  /** An OpenAI-type key at level 1. */
  openai: string;
  /** An Anthropic-type key at level 2. */
  anthropic: string;
}

/**
 * Adds an OpenAI-type key (level 1) and an Anthropic-type key (level 2), both on the mock
 * provider, and saves `conf` (the rules that route models to them).
 */
export async function addMockKeys(
  admin: AdminClient,
  mockProviderUrl: string | undefined,
  secrets: MockKeySecrets,
  conf: Record<string, unknown>,
): Promise<void> {
  const keys = [
    { SecretKey: secrets.openai, Name: 'mock openai', Level: 1 },
    {
      SecretKey: secrets.anthropic,
      Name: 'mock anthropic',
      Level: 2,
      Config: { provider_type: 'anthropic' },
    },
  ];
  for (const key of keys) {
    const created = await admin.request('POST', '/x-keys', {
      ...key,
      Provider: mockProviderUrl,
      Status: true,
    });
    if (created.status !== 201) throw new Error(`key not added: ${JSON.stringify(created.json)}`);
  }
  const saved = await admin.request('POST', '/x-conf', conf);
  if (saved.status !== 200) throw new Error(`rules not saved: ${JSON.stringify(saved.json)}`);
}
