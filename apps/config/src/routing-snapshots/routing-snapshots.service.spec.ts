import { EntityManager } from 'typeorm';

import { providerKeyRow, TENANT_ID, tenantRow } from '../../test/entities';
import { typedMock } from '../../test/typed-mock';
import { UnitOfWork } from '../database/unit-of-work';
import { ConfigErrorCode } from '../errors/config-error-code';
import { ProviderKeysRepository } from '../provider-keys/provider-keys.repository';
import { TenantsRepository } from '../tenants/tenants.repository';
import { RoutingSnapshotsService } from './routing-snapshots.service';

describe(RoutingSnapshotsService.name, () => {
  const tx = {} as EntityManager;
  let unitOfWork: jest.Mocked<UnitOfWork>;
  let tenants: jest.Mocked<TenantsRepository>;
  let providerKeys: jest.Mocked<ProviderKeysRepository>;
  let service: RoutingSnapshotsService;

  beforeEach(() => {
    unitOfWork = typedMock<UnitOfWork>();
    unitOfWork.run.mockImplementation((work) => work(tx));
    tenants = typedMock<TenantsRepository>();
    providerKeys = typedMock<ProviderKeysRepository>();
    service = new RoutingSnapshotsService(unitOfWork, tenants, providerKeys);
  });

  it('reads config and keys in one repeatable-read transaction', async () => {
    tenants.findById.mockResolvedValue(tenantRow({ version: 9, switchOver: '1=2' }));
    providerKeys.listByTenant.mockResolvedValue([providerKeyRow()]);

    const snapshot = await service.get({ tenantId: TENANT_ID });

    expect(unitOfWork.run).toHaveBeenCalledWith(expect.any(Function), 'REPEATABLE READ');
    expect(tenants.findById).toHaveBeenCalledWith(TENANT_ID, tx);
    expect(providerKeys.listByTenant).toHaveBeenCalledWith(TENANT_ID, tx);
    expect(snapshot.config).toMatchObject({ version: 9, switchOver: '1=2' });
    expect(snapshot.providerKeys).toHaveLength(1);
  });

  it('answers NOT_FOUND for an unknown tenant', async () => {
    tenants.findById.mockResolvedValue(null);

    const snapshot = service.get({ tenantId: TENANT_ID });

    await expect(snapshot).rejects.toMatchObject({ code: ConfigErrorCode.TenantNotFound });
  });
});
