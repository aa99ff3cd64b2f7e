import type { ProviderKey } from '@xai/contracts';

import { providerKeyState, tenantConfigState } from './management-audit';

describe('providerKeyState', () => {
  const key: ProviderKey = {
    id: 'pk-1',
    tenantId: 't',
    name: 'azure east',
    level: 2,
    provider: 'https://example.openai.azure.com',
    status: true,
    providerType: 'azure',
    configJson: JSON.stringify({
      provider_type: 'azure',
      api_version: '2024-10-21',
      headers: { 'api-key': 'sk-leak-1', Authorization: 'Bearer sk-leak-2' },
      client_secret: 'sk-leak-3',
    }),
    secretHint: '…a8e2',
    createdAt: '',
    updatedAt: '',
  };

  it('keeps the metadata and the hint, and redacts anything named like a credential', () => {
    const state = providerKeyState(key);

    expect(state).toEqual({
      Name: 'azure east',
      Level: 2,
      Provider: 'https://example.openai.azure.com',
      Status: true,
      ProviderType: 'azure',
      Config: {
        provider_type: 'azure',
        api_version: '2024-10-21',
        headers: { 'api-key': '[redacted]', Authorization: '[redacted]' },
        client_secret: '[redacted]',
      },
      SecretHint: '…a8e2',
    });
    expect(JSON.stringify(state)).not.toMatch(/sk-leak/);
  });

  it('is null for a key that does not exist', () => {
    expect(providerKeyState(undefined)).toBeNull();
  });
});

describe('tenantConfigState', () => {
  it('records the rules under their /x-conf names', () => {
    const state = tenantConfigState({
      levelMapper: 'gpt*=1',
      modelMapper: '',
      switchOver: '1=2',
      defaultLevel: 1,
      version: 3,
    });

    expect(state).toEqual({
      LevelMapper: 'gpt*=1',
      ModelMapper: '',
      SwitchOver: '1=2',
      DefaultLevel: 1,
    });
  });
});
