import { randomUUID } from 'node:crypto';

import { status } from '@grpc/grpc-js';
import { createScratchDatabase, ScratchDatabase } from '@xai/devstack';

import { DESTINATION } from './custody-fixtures';
import { newCredential, rpcError } from './grpc-test-helpers';
import { KeyVaultProcess } from './key-vault-process';

describe('key-vault without a usable KEK', () => {
  let database: ScratchDatabase;

  beforeAll(async () => {
    database = await createScratchDatabase('xai_kv');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it.each([
    ['missing', {}],
    ['invalid', { XAI_KEK: 'not-a-kek-but-perhaps-a-secret-value' }],
  ])('starts sealed when the KEK is %s', async (reason, kekEnv: Record<string, string>) => {
    const vault = await KeyVaultProcess.start({ ...database.serviceEnv, ...kekEnv });
    const client = vault.client();
    const ref = { tenantId: randomUUID(), providerKeyId: 'key-1' };
    const destination = DESTINATION;
    const owner = newCredential();

    try {
      const ready = await vault.get('/readyz');
      const errors = await Promise.all([
        rpcError(
          client.call('encryptProviderKey', {
            ...ref,
            secretKey: 'x',
            credential: owner,
            destination,
          }),
        ),
        rpcError(
          client.call('decryptProviderKey', {
            ...ref,
            credential: owner,
            requestId: 'r',
            destination,
          }),
        ),
        rpcError(client.call('destroyProviderKey', { ...ref, credential: owner })),
      ]);

      expect(ready).toEqual({
        status: 503,
        body: { status: 'not ready', checks: { database: 'ok', kek: reason } },
      });
      expect(errors.map(({ code, details }) => [code, details])).toEqual(
        Array(3).fill([status.UNAVAILABLE, 'key-vault is sealed']),
      );
      expect(vault.logs).toContain('key-vault is sealed');
      expect(Object.values(kekEnv).filter((value) => vault.logs.includes(value))).toEqual([]);
    } finally {
      client.close();
      await vault.stop();
    }
  });
});
