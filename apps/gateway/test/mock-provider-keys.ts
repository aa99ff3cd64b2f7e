import { AdminClient } from './admin-client';

/** The provider types the mock provider speaks. */
export type MockKeyType = 'anthropic' | 'gemini' | 'openai';

/**
 * Adds one provider key per type, all pointing at the mock provider, at levels 1, 2, 3 in the
 * order given, and routes `claude*`, `gemini*` and `gpt*` models to them (plus any extra
 * `/x-conf` fields). Fails when the router refuses either.
 */
export async function addMockProviderKeys(
  admin: AdminClient,
  mockProviderUrl: string | undefined,
  secrets: Record<MockKeyType, string>,
  conf: Record<string, unknown> = {},
): Promise<void> {
  if (!mockProviderUrl) throw new Error('the stack was started without the mock provider');
  const levels: MockKeyType[] = ['anthropic', 'gemini', 'openai'];
  for (const [index, type] of levels.entries()) {
    const created = await admin.request('POST', '/x-keys', {
      SecretKey: secrets[type],
      Name: `mock ${type}`,
      Level: index + 1,
      Provider: mockProviderUrl,
      Status: true,
      Config: { provider_type: type },
    });
    if (created.status !== 201) throw new Error(`key refused: ${JSON.stringify(created.json)}`);
  }
  const updated = await admin.request('POST', '/x-conf', {
    LevelMapper: 'claude*=1, gemini*=2, gpt*=3',
    ...conf,
  });
  if (updated.status !== 200) throw new Error(`config refused: ${JSON.stringify(updated.json)}`);
}
