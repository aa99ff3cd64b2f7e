import { CreateProviderKeyRequest } from '@xai/contracts';

import { ConfigErrorCode } from '../../errors/config-error-code';
import { ConfigException } from '../../errors/config.exception';
import {
  MAX_CONFIG_JSON_BYTES,
  requireConfigObject,
  requireProviderUrl,
  validateNewProviderKey,
  validateProviderKeyChanges,
} from './provider-key-input';

const TENANT_ID = '6f1c2a4e-3b7d-4c1e-9a2b-5d8e7f6a1b2c';
const KEY_ID = '0B9E8D7C-6A5F-4E3D-8C2B-1A0F9E8D7C6B';

function createRequest(fields: Partial<CreateProviderKeyRequest> = {}): CreateProviderKeyRequest {
  return {
    tenantId: TENANT_ID,
    id: KEY_ID,
    name: 'primary',
    level: 2,
    provider: 'https://api.openai.com/v1',
    status: true,
    providerType: 'openai',
    configJson: '{"api_version":"2024-06-01"}',
    secretHint: 'abcd',
    ...fields,
  };
}

function refusal(run: () => unknown): ConfigException {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigException) return error;
    throw error;
  }
  throw new Error('expected a ConfigException');
}

describe('validateNewProviderKey', () => {
  it('accepts a complete key and lower-cases its id', () => {
    const key = validateNewProviderKey(createRequest());

    expect(key).toEqual({
      tenantId: TENANT_ID,
      id: KEY_ID.toLowerCase(),
      name: 'primary',
      level: 2,
      provider: 'https://api.openai.com/v1',
      status: true,
      providerType: 'openai',
      config: { api_version: '2024-06-01' },
      secretHint: 'abcd',
    });
  });

  it('reads an empty config_json as an empty object', () => {
    const key = validateNewProviderKey(createRequest({ configJson: '' }));

    expect(key.config).toEqual({});
  });

  it.each([
    [{ tenantId: 'not-a-uuid' }, 'tenant_id: must be a UUID'],
    [{ id: '' }, 'id: must be a UUID'],
    [{ name: '' }, 'name: must be 1 to 200 characters'],
    [{ name: '   ' }, 'name: must be 1 to 200 characters'],
    [{ name: 'n'.repeat(201) }, 'name: must be 1 to 200 characters'],
    [{ name: 'line\nbreak' }, 'name: must not contain control characters'],
    [{ level: 0 }, 'level: must be a whole number from 1 to 1000'],
    [{ level: 1001 }, 'level: must be a whole number from 1 to 1000'],
    [{ providerType: '' }, 'provider_type: must be one of openai, anthropic, gemini, azure'],
    [{ providerType: 'OpenAI' }, 'provider_type: must be one of openai, anthropic, gemini, azure'],
    [{ secretHint: 'sk-proj-1234567890' }, 'secret_hint: must be 1 to 8 characters'],
    [{ provider: 'ftp://example.com' }, 'provider: must be an http(s) URL'],
    [{ configJson: '[]' }, 'config_json: must be a JSON object'],
  ])('refuses %j', (fields, message) => {
    const error = refusal(() => validateNewProviderKey(createRequest(fields)));

    expect(error.code).toBe(ConfigErrorCode.InvalidArgument);
    expect(error.message).toContain(message);
  });
});

describe('validateProviderKeyChanges', () => {
  it('keeps only the fields that are set', () => {
    const changes = validateProviderKeyChanges({ tenantId: TENANT_ID, id: KEY_ID, level: 3 });

    expect(changes).toEqual({ level: 3 });
  });

  it('validates each field that is set', () => {
    const error = refusal(() =>
      validateProviderKeyChanges({ tenantId: TENANT_ID, id: KEY_ID, status: false, name: '' }),
    );

    expect(error.message).toBe('name: must be 1 to 200 characters');
  });
});

describe('requireProviderUrl', () => {
  it.each([
    'https://api.openai.com/v1',
    'http://localhost:9090',
    'https://my-resource.openai.azure.com/',
    'http://[::1]:8000/v1',
  ])('accepts %s', (url) => {
    const accepted = requireProviderUrl('provider', url);

    expect(accepted).toBe(url);
  });

  it.each([
    '',
    'api.openai.com/v1',
    'file:///etc/passwd',
    'https://user:pass@api.openai.com/v1',
    'https://token@api.openai.com/v1',
    'https://api.openai.com/v1?key=sk-123',
    'https://api.openai.com/v1?',
    'https://api.openai.com/v1#frag',
    'https://api.openai.com/ v1',
    `https://example.com/${'a'.repeat(2048)}`,
  ])('refuses %j', (url) => {
    const error = refusal(() => requireProviderUrl('provider', url));

    expect(error.message).toBe(
      'provider: must be an http(s) URL without credentials, query or fragment',
    );
  });
});

describe('requireConfigObject', () => {
  it.each(['null', '"text"', '42', '[1]', '{"a":1'])('refuses %j', (json) => {
    const error = refusal(() => requireConfigObject('config_json', json));

    expect(error.code).toBe(ConfigErrorCode.InvalidArgument);
    expect(error.message).toMatch(/^config_json: must be (a JSON object|valid JSON)$/);
  });

  it('refuses more than 16 KB', () => {
    const json = JSON.stringify({ padding: 'x'.repeat(MAX_CONFIG_JSON_BYTES) });

    const error = refusal(() => requireConfigObject('config_json', json));

    expect(error.message).toBe('config_json: must be at most 16384 bytes');
  });

  it.each([
    ['{"api_key":"sk-1"}', 'api_key'],
    ['{"headers":{"Authorization":"Bearer x"}}', 'headers.Authorization'],
    ['{"extra":[{"secret-key":"x"}]}', 'extra[0].secret-key'],
  ])('refuses a credential-like field in %s', (json, path) => {
    const error = refusal(() => requireConfigObject('config_json', json));

    expect(error.message).toBe(
      `config_json: field "${path}" looks like a credential; secrets belong in SecretKey, never in config`,
    );
    expect(error.message).not.toContain('sk-1');
  });

  it('accepts ordinary settings such as max_tokens', () => {
    const config = requireConfigObject('config_json', '{"api_version":"v1","max_tokens":10}');

    expect(config).toEqual({ api_version: 'v1', max_tokens: 10 });
  });
});
