import { EntityManager } from 'typeorm';

import { tenantRow, TENANT_ID } from '../../test/entities';
import { typedMock } from '../../test/typed-mock';
import { ConfigErrorCode } from '../errors/config-error-code';
import { TenantChanges } from './tenant-changes.service';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';

describe(TenantsService.name, () => {
  const tx = {} as EntityManager;
  let tenants: jest.Mocked<TenantsRepository>;
  let changes: jest.Mocked<TenantChanges>;
  let service: TenantsService;

  beforeEach(() => {
    tenants = typedMock<TenantsRepository>();
    changes = typedMock<TenantChanges>();
    changes.apply.mockImplementation((_change, work) => work(tx));
    service = new TenantsService(tenants, changes);
  });

  it('returns the tenant config', async () => {
    tenants.findById.mockResolvedValue(tenantRow({ levelMapper: 'gpt-4*=1', version: 5 }));

    const response = await service.getConfig({ tenantId: TENANT_ID });

    expect(response.config).toEqual({
      levelMapper: 'gpt-4*=1',
      modelMapper: '',
      switchOver: '',
      defaultLevel: 1,
      version: 5,
    });
  });

  it('answers NOT_FOUND for an unknown tenant', async () => {
    tenants.findById.mockResolvedValue(null);

    const response = service.getConfig({ tenantId: TENANT_ID });

    await expect(response).rejects.toMatchObject({ code: ConfigErrorCode.TenantNotFound });
  });

  it('stores a valid update as one announced tenant_config change', async () => {
    tenants.updateConfig.mockResolvedValue(tenantRow({ levelMapper: 'gpt-4*=1', version: 6 }));

    const response = await service.updateConfig({ tenantId: TENANT_ID, levelMapper: 'gpt-4* = 1' });

    expect(changes.apply).toHaveBeenCalledWith(
      { tenantId: TENANT_ID, kind: 'tenant_config' },
      expect.any(Function),
    );
    expect(tenants.updateConfig).toHaveBeenCalledWith(tx, TENANT_ID, { levelMapper: 'gpt-4*=1' });
    expect(response.config.version).toBe(6);
  });

  it('changes nothing when one field is bad', async () => {
    const update = service.updateConfig({
      tenantId: TENANT_ID,
      modelMapper: 'gpt-4=gpt-4-turbo',
      levelMapper: 'gpt-4*=1,claude*',
    });

    await expect(update).rejects.toMatchObject({
      code: ConfigErrorCode.InvalidArgument,
      message: 'level_mapper: LevelMapper item 2 "claude*" has no "="',
    });
    expect(changes.apply).not.toHaveBeenCalled();
  });

  it('refuses a tenant id that is not a UUID before touching the database', async () => {
    const response = service.getConfig({ tenantId: "1' OR '1'='1" });

    await expect(response).rejects.toMatchObject({ message: 'tenant_id: must be a UUID' });
    expect(tenants.findById).not.toHaveBeenCalled();
  });
});
