import { CreateProviderKeyRequest } from '@xai/contracts';
import { EntityManager } from 'typeorm';

import { KEY_ID, providerKeyRow, TENANT_ID, tenantRow } from '../../test/entities';
import { typedMock } from '../../test/typed-mock';
import { ConfigErrorCode } from '../errors/config-error-code';
import { TenantChanges } from '../tenants/tenant-changes.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { ProviderKeysRepository } from './provider-keys.repository';
import { ProviderKeysService } from './provider-keys.service';

const CREATE: CreateProviderKeyRequest = {
  tenantId: TENANT_ID,
  id: KEY_ID,
  name: 'primary',
  level: 1,
  provider: 'https://api.openai.com/v1',
  status: true,
  providerType: 'openai',
  configJson: '{}',
  secretHint: 'abcd',
};

describe(ProviderKeysService.name, () => {
  const tx = {} as EntityManager;
  let providerKeys: jest.Mocked<ProviderKeysRepository>;
  let tenants: jest.Mocked<TenantsRepository>;
  let changes: jest.Mocked<TenantChanges>;
  let service: ProviderKeysService;

  beforeEach(() => {
    providerKeys = typedMock<ProviderKeysRepository>();
    tenants = typedMock<TenantsRepository>();
    changes = typedMock<TenantChanges>();
    changes.apply.mockImplementation((_change, work) => work(tx));
    service = new ProviderKeysService(providerKeys, tenants, changes);
  });

  it('creates a key as an announced provider_key change', async () => {
    providerKeys.insert.mockResolvedValue(providerKeyRow());

    const response = await service.create(CREATE);

    expect(changes.apply).toHaveBeenCalledWith(
      { tenantId: TENANT_ID, kind: 'provider_key', providerKeyId: KEY_ID },
      expect.any(Function),
    );
    expect(providerKeys.insert).toHaveBeenCalledWith(tx, expect.objectContaining({ id: KEY_ID }));
    expect(response.providerKey).toMatchObject({
      id: KEY_ID,
      configJson: '{}',
      createdAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it('refuses an invalid key before opening a transaction', async () => {
    const response = service.create({ ...CREATE, provider: 'https://u:p@example.com' });

    await expect(response).rejects.toMatchObject({ code: ConfigErrorCode.InvalidArgument });
    expect(changes.apply).not.toHaveBeenCalled();
  });

  it('lists the keys of a known tenant', async () => {
    tenants.findById.mockResolvedValue(tenantRow());
    providerKeys.listByTenant.mockResolvedValue([providerKeyRow(), providerKeyRow({ level: 2 })]);

    const response = await service.list({ tenantId: TENANT_ID });

    expect(response.providerKeys.map((key) => key.level)).toEqual([1, 2]);
  });

  it('answers NOT_FOUND when listing for an unknown tenant', async () => {
    tenants.findById.mockResolvedValue(null);

    const response = service.list({ tenantId: TENANT_ID });

    await expect(response).rejects.toMatchObject({ code: ConfigErrorCode.TenantNotFound });
  });

  it('updates only the fields that are set', async () => {
    providerKeys.update.mockResolvedValue(providerKeyRow({ status: false }));

    const response = await service.update({ tenantId: TENANT_ID, id: KEY_ID, status: false });

    expect(providerKeys.update).toHaveBeenCalledWith(tx, TENANT_ID, KEY_ID, { status: false });
    expect(response.providerKey.status).toBe(false);
  });

  it.each([
    ['update', () => service.update({ tenantId: TENANT_ID, id: KEY_ID, level: 2 })],
    ['delete', () => service.delete({ tenantId: TENANT_ID, id: KEY_ID })],
  ])('answers NOT_FOUND to %s of a key the tenant does not have', async (_name, call) => {
    providerKeys.update.mockResolvedValue(null);
    providerKeys.delete.mockResolvedValue(false);

    const response = call();

    await expect(response).rejects.toMatchObject({
      code: ConfigErrorCode.ProviderKeyNotFound,
      message: `provider key ${KEY_ID} not found`,
    });
  });

  it('deletes a key as an announced provider_key change', async () => {
    providerKeys.delete.mockResolvedValue(true);

    const response = await service.delete({ tenantId: TENANT_ID, id: KEY_ID });

    expect(response).toEqual({});
    expect(providerKeys.delete).toHaveBeenCalledWith(tx, TENANT_ID, KEY_ID);
    expect(changes.apply).toHaveBeenCalledWith(
      { tenantId: TENANT_ID, kind: 'provider_key', providerKeyId: KEY_ID },
      expect.any(Function),
    );
  });
});
