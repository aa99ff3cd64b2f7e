import { randomBytes } from 'node:crypto';

import { ConfigMethods, GrpcClient } from '@xai/contracts';

import {
  ConfigProcess,
  createTestDatabase,
  freePort,
  startConfigProcess,
  TestDatabase,
} from './config-process';
import { keyRequest, randomHash } from './fixtures';

describe('config service without redis (e2e)', () => {
  let database: TestDatabase;
  let service: ConfigProcess;
  let client: GrpcClient<ConfigMethods>;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startConfigProcess(
      {
        ...database.serviceEnv,
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        XAI_REDIS_PREFIX: `xai-test-${randomBytes(4).toString('hex')}:`,
      },
      'alive',
    );
    client = new GrpcClient<ConfigMethods>('config', service.grpcUrl, { deadlineMs: 10_000 });
  });

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await database?.drop();
  });

  it('says redis is not ready', async () => {
    const response = await fetch(`${service.httpUrl}/readyz`);

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ checks: { database: 'ok' } });
  });

  it('still commits changes and warns that they were not announced', async () => {
    const { virtualKey } = await client.call('bootstrapOwner', {
      virtualKeyHash: randomHash(),
      virtualKeyHint: '',
    });
    const tenantId = virtualKey?.tenantId ?? '';

    const created = await client.call('createProviderKey', keyRequest(tenantId));

    const { config } = await client.call('getTenantConfig', { tenantId });
    expect(created.providerKey.tenantId).toBe(tenantId);
    expect(config.version).toBe(2);
    expect(service.output()).toContain('config change committed but not published');
  });
});
