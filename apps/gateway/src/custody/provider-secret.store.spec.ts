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

/** A store whose key-vault opens the key for `openers` only, recording every decrypt asked. */
function setUp(openers: readonly string[]) {
  const asked: DecryptProviderKeyRequest[] = [];
  const call = jest.fn(async (_method: string, request: DecryptProviderKeyRequest) => {
    asked.push(request);
    if (!openers.includes(request.credential.slotId)) {
      throw new GrpcCallException('decryptProviderKey', status.PERMISSION_DENIED, 'no');
    }

    return { secretKey: 'sk-plain' };
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
});
