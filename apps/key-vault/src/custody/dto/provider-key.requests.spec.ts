import { randomBytes } from 'node:crypto';

import { KeyVaultErrorCode } from '../../errors/key-vault-error-code';
import { KeyVaultException } from '../../errors/key-vault.exception';
import {
  DecryptProviderKeyRequestSchema,
  EncryptProviderKeyRequestSchema,
  parseRequest,
} from './provider-key.requests';

const SECRET = 'sk-canary-never-echoed';

function validEncrypt(): Record<string, unknown> {
  return {
    tenantId: 'tenant-1',
    providerKeyId: 'key-1',
    secretKey: SECRET,
    credential: { slotId: 'slot-1', wrappingSecret: randomBytes(32) },
    destination: { baseUrl: 'https://api.example.test/v1', providerType: 'openai', settings: [] },
  };
}

function rejection(request: unknown): KeyVaultException {
  try {
    parseRequest(EncryptProviderKeyRequestSchema, request);
  } catch (error) {
    if (error instanceof KeyVaultException) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe(parseRequest.name, () => {
  it('accepts a valid request', () => {
    const request = validEncrypt();

    const parsed = parseRequest(EncryptProviderKeyRequestSchema, request);

    expect(parsed).toEqual(request);
  });

  it.each([
    ['an empty tenant id', { tenantId: '' }, 'tenant_id is required'],
    [
      'a provider key id over 200 characters',
      { providerKeyId: 'k'.repeat(201) },
      'provider_key_id',
    ],
    ['an empty secret', { secretKey: '' }, 'secret_key is required'],
    ['a secret over 8192 characters', { secretKey: 's'.repeat(8193) }, 'secret_key'],
    ['no credential', { credential: null }, 'credential is required'],
    [
      'an empty slot id',
      { credential: { slotId: '', wrappingSecret: randomBytes(32) } },
      'slot_id',
    ],
    [
      'a 31-byte wrapping secret',
      { credential: { slotId: 's', wrappingSecret: randomBytes(31) } },
      'exactly 32 bytes',
    ],
    [
      'a 33-byte wrapping secret',
      { credential: { slotId: 's', wrappingSecret: randomBytes(33) } },
      'exactly 32 bytes',
    ],
    ['no destination', { destination: undefined }, 'destination is required'],
    [
      'a destination without a base URL',
      { destination: { baseUrl: '', providerType: 'openai', settings: [] } },
      'destination.base_url is required',
    ],
    [
      'a setting that is not a name and a value',
      {
        destination: {
          baseUrl: 'https://api.example.test/v1',
          providerType: 'azure',
          settings: [{ name: 'deployment' }],
        },
      },
      'destination.settings items need a value',
    ],
  ])('refuses %s, naming the field', (_case, change, expected) => {
    const error = rejection({ ...validEncrypt(), ...change });

    expect(error.code).toBe(KeyVaultErrorCode.InvalidArgument);
    expect(error.message).toContain(expected);
  });

  it('never echoes a value it refuses', () => {
    const error = rejection({ ...validEncrypt(), tenantId: SECRET.repeat(20), secretKey: 7 });

    expect(error.message).not.toContain(SECRET);
  });

  it('lets a decrypt request carry no request id', () => {
    const { tenantId, providerKeyId, credential, destination } = validEncrypt();

    const parsed = parseRequest(DecryptProviderKeyRequestSchema, {
      tenantId,
      providerKeyId,
      credential,
      destination,
    });

    expect(parsed.requestId).toBe('');
  });
});
