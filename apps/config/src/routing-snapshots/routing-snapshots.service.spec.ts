import { EntityManager } from 'typeorm';

import { MEMBER_ID, memberRow, providerKeyRow, TENANT_ID, tenantRow } from '../../test/entities';
import { typedMock } from '../../test/typed-mock';
import { UnitOfWork } from '../database/unit-of-work';
import { ConfigErrorCode } from '../errors/config-error-code';
import { MembersRepository } from '../members/members.repository';
import { ProviderKeysRepository } from '../provider-keys/provider-keys.repository';
import { TenantsRepository } from '../tenants/tenants.repository';
import { RoutingSnapshotsService } from './routing-snapshots.service';

describe(RoutingSnapshotsService.name, () => {
  const tx = {} as EntityManager;
  let unitOfWork: jest.Mocked<UnitOfWork>;
  let tenants: jest.Mocked<TenantsRepository>;
  let providerKeys: jest.Mocked<ProviderKeysRepository>;
  let members: jest.Mocked<MembersRepository>;
  let service: RoutingSnapshotsService;

  beforeEach(() => {
    unitOfWork = typedMock<UnitOfWork>();
    unitOfWork.run.mockImplementation((work) => work(tx));
    tenants = typedMock<TenantsRepository>();
    providerKeys = typedMock<ProviderKeysRepository>();
    members = typedMock<MembersRepository>();
    members.listByTenant.mockResolvedValue([]);
    service = new RoutingSnapshotsService(unitOfWork, tenants, providerKeys, members);
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

  it('carries every member with its rules, read in the same transaction', async () => {
    tenants.findById.mockResolvedValue(tenantRow());
    providerKeys.listByTenant.mockResolvedValue([]);
    members.listByTenant.mockResolvedValue([memberRow({ modelMapper: 'gpt-4=gpt-4o-mini' })]);

    const snapshot = await service.get({ tenantId: TENANT_ID });

    expect(members.listByTenant).toHaveBeenCalledWith(TENANT_ID, tx);
    expect(snapshot.members).toEqual([
      expect.objectContaining({ id: MEMBER_ID, modelMapper: 'gpt-4=gpt-4o-mini' }),
    ]);
  });

  it('answers NOT_FOUND for an unknown tenant', async () => {
    tenants.findById.mockResolvedValue(null);

    const snapshot = service.get({ tenantId: TENANT_ID });

    await expect(snapshot).rejects.toMatchObject({ code: ConfigErrorCode.TenantNotFound });
  });
});
