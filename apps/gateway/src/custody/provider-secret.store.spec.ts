import { randomBytes } from 'node:crypto';

import { status } from '@grpc/grpc-js';
import { DecryptProviderKeyRequest, GrpcCallException } from '@xai/contracts';

import { Caller } from '../auth/caller';
import { ServiceClients } from '../clients/service-clients';
import { GatewayConfig } from '../gateway.config';
import { ConfigStreamState } from '../routing/config-stream.state';
import { ProviderSecretStore, SecretTarget } from './provider-secret.store';

const KEY: SecretTarget = {
  id: 'key-1',
  baseUrl: 'https://api.example.test/v1',
  providerType: 'openai',
  settings: {},
};

function caller(virtualKeyId: string, expiresAt?: number): Caller {
  return {
    tenantId: 'tenant-1',
    virtualKeyId,
    role: 'VIRTUAL_KEY_ROLE_MEMBER',
    wrappingSecret: randomBytes(32),
    expiresAt,
  };
}

/**
 * A store whose key-vault opens the key for `openers` only (whose slots stop opening at
 * `slotExpiresAt`, if given) unless it fails with `failure`, recording every decrypt asked.
 */
function setUp(openers: readonly string[], slotExpiresAt = '', failure?: GrpcCallException) {
  const asked: DecryptProviderKeyRequest[] = [];
  const call = jest.fn(async (_method: string, request: DecryptProviderKeyRequest) => {
    asked.push(request);
    if (failure) throw failure;
    if (!openers.includes(request.credential.slotId)) {
      throw new GrpcCallException('decryptProviderKey', status.PERMISSION_DENIED, 'no');
    }

    return { secretKey: 'sk-plain', slotExpiresAt };
  });
  const clients = { keyVault: { call } } as unknown as ServiceClients;
  const config = { XAI_KEY_CACHE_TTL_SECONDS: 60 } as GatewayConfig;

  // A config stream with no gap: entries live their full TTL.
  const streamState = { maxCacheAgeMs: () => undefined } as unknown as ConfigStreamState;

  return { store: new ProviderSecretStore(clients, config, streamState), asked };
}

describe(ProviderSecretStore.name, () => {
  it('serves a warm plaintext to the credential that opened it, without asking again', async () => {
    const { store, asked } = setUp(['owner']);
    const owner = caller('owner');

    const secrets = [
      await store.secretFor(owner, KEY, 'r1'),
      await store.secretFor(owner, KEY, 'r2'),
    ];

    expect(secrets).toEqual(['sk-plain', 'sk-plain']);
    expect(asked).toHaveLength(1);
    expect(asked[0].destination).toEqual({
      baseUrl: 'https://api.example.test/v1',
      providerType: 'openai',
      settings: [],
    });
  });

  it('asks key-vault for another credential of the tenant, which refuses one without a slot', async () => {
    const { store, asked } = setUp(['owner']);
    await store.secretFor(caller('owner'), KEY, 'r1');

    const refused = store.secretFor(caller('slotless'), KEY, 'r2');

    await expect(refused).rejects.toMatchObject({ code: 'provider_key_unavailable' });
    expect(asked.map((request) => request.credential.slotId)).toEqual(['owner', 'slotless']);
  });

  it('asks key-vault again, for the new destination, when the key now points elsewhere', async () => {
    const { store, asked } = setUp(['owner']);
    const owner = caller('owner');
    await store.secretFor(owner, KEY, 'r1');

    await store.secretFor(owner, { ...KEY, baseUrl: 'https://attacker.example.test/v1' }, 'r2');

    expect(asked.map((request) => request.destination.baseUrl)).toEqual([
      'https://api.example.test/v1',
      'https://attacker.example.test/v1',
    ]);
    expect(store.cached(KEY)).toBeUndefined();
  });

  it('stops serving a credential past its expiry, and everyone after the tenant is forgotten', async () => {
    const { store, asked } = setUp(['expiring', 'owner']);
    await store.secretFor(caller('expiring', Date.now() - 1), KEY, 'r1');
    await store.secretFor(caller('expiring', Date.now() - 1), KEY, 'r2');
    await store.secretFor(caller('owner'), KEY, 'r3');

    store.forgetTenant('tenant-1');
    await store.secretFor(caller('owner'), KEY, 'r4');

    expect(asked.map((request) => request.requestId)).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('serves a warm plaintext to the record id only with the credential that opened it', async () => {
    const { store, asked } = setUp(['owner']);
    const owner = caller('owner');
    await store.secretFor(owner, KEY, 'r1');
    // A database writer moved another key's hash onto the owner's record: same id, other secret.
    const impostor = { ...owner, wrappingSecret: randomBytes(32) };

    const served = store.secretFor(impostor, KEY, 'r2');

    await expect(served).resolves.toBe('sk-plain');
    expect(asked.map((request) => request.requestId)).toEqual(['r1', 'r2']);
    expect(asked[1].credential.wrappingSecret).toBe(impostor.wrappingSecret);
  });

  it("stops serving at the slot's expiry in key-vault, whatever config says", async () => {
    const { store, asked } = setUp(['rotated'], new Date(Date.now() - 1).toISOString());
    const rotated = caller('rotated'); // config's record says it never expires

    await store.secretFor(rotated, KEY, 'r1');
    await store.secretFor(rotated, KEY, 'r2');

    expect(asked.map((request) => request.requestId)).toEqual(['r1', 'r2']);
  });

  it.each([
    [
      status.FAILED_PRECONDITION,
      'credential slot cannot be opened here: KEK version 2 is not loaded',
    ],
    [status.DATA_LOSS, 'credential slot failed authentication'],
  ])(
    'blames the credential slot, not the stored key, for a slot failure (%s)',
    async (code, details) => {
      const failure = new GrpcCallException('decryptProviderKey', code, details);
      const { store } = setUp(['owner'], '', failure);

      const refused = store.secretFor(caller('owner'), KEY, 'r1');

      await expect(refused).rejects.toThrow('credential slot');
      await expect(refused).rejects.not.toThrow('SecretKey');
    },
  );

  it('keeps one scrubber with a cached plaintext, and none once the plaintext is dropped', async () => {
    const { store } = setUp(['owner']);
    const secret = await store.secretFor(caller('owner'), KEY, 'r1');

    const first = store.scrubberFor(KEY, secret);
    const again = store.scrubberFor(KEY, secret);
    const other = store.scrubberFor(KEY, 'sk-not-the-cached-one');
    store.forgetKey(KEY.id);
    const afterForget = store.scrubberFor(KEY, secret);

    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(afterForget).not.toBe(first);
    expect(first(`echo ${secret}`)).toBe('echo [redacted]');
  });
});
