import { randomUUID } from 'node:crypto';

import { status } from '@grpc/grpc-js';
import { GrpcClient, KeyVaultMethods } from '@xai/contracts';

import { newCredential, rpcError } from './grpc-test-helpers';
import { KeyVaultProcess, ScratchDatabase } from './key-vault-process';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('key-vault without a usable KEK', () => {
  let database: ScratchDatabase;

  beforeAll(async () => {
    database = await ScratchDatabase.create(SERVER_URL);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it.each([
    ['missing', {}],
    ['invalid', { XAI_KEK: 'not-a-kek-but-perhaps-a-secret-value' }],
  ])('starts sealed when the KEK is %s', async (reason, kekEnv: Record<string, string>) => {
    const vault = await KeyVaultProcess.start({ DATABASE_URL: database.url, ...kekEnv });
    const client = new GrpcClient<KeyVaultMethods>('keyVault', vault.grpcUrl);
    const ref = { tenantId: randomUUID(), providerKeyId: 'key-1' };
    const owner = newCredential();

    try {
      const ready = await vault.get('/readyz');
      const errors = await Promise.all([
        rpcError(client.call('encryptProviderKey', { ...ref, secretKey: 'x', credential: owner })),
        rpcError(client.call('decryptProviderKey', { ...ref, credential: owner, requestId: 'r' })),
        rpcError(client.call('destroyProviderKey', ref)),
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
