import { EntityManager } from 'typeorm';

import { typedMock } from '../../test/typed-mock';
import { TENANT_ID } from '../../test/entities';
import { UnitOfWork } from '../database/unit-of-work';
import { ConfigErrorCode } from '../errors/config-error-code';
import { ConfigChangePublisher } from '../events/config-change.publisher';
import { TenantChanges } from './tenant-changes.service';
import { TenantsRepository } from './tenants.repository';

describe(TenantChanges.name, () => {
  const tx = {} as EntityManager;
  let unitOfWork: jest.Mocked<UnitOfWork>;
  let tenants: jest.Mocked<TenantsRepository>;
  let publisher: jest.Mocked<ConfigChangePublisher>;
  let changes: TenantChanges;
  let committed: boolean;

  beforeEach(() => {
    committed = false;
    unitOfWork = typedMock<UnitOfWork>();
    unitOfWork.run.mockImplementation(async (work) => {
      const result = await work(tx);
      committed = true;

      return result;
    });
    tenants = typedMock<TenantsRepository>();
    publisher = typedMock<ConfigChangePublisher>();
    publisher.publish.mockImplementation(async () => {
      expect(committed).toBe(true);
    });
    changes = new TenantChanges(unitOfWork, tenants, publisher);
  });

  it('bumps the version in the transaction and announces it after the commit', async () => {
    tenants.bumpVersion.mockResolvedValue(8);
    const work = jest.fn().mockResolvedValue('done');

    const result = await changes.apply({ tenantId: TENANT_ID, kind: 'tenant_config' }, work);

    expect(result).toBe('done');
    expect(tenants.bumpVersion).toHaveBeenCalledWith(tx, TENANT_ID);
    expect(work).toHaveBeenCalledWith(tx);
    expect(publisher.publish).toHaveBeenCalledWith({
      tenantId: TENANT_ID,
      kind: 'tenant_config',
      version: 8,
    });
  });

  it('refuses an unknown tenant without doing the work or announcing anything', async () => {
    tenants.bumpVersion.mockResolvedValue(undefined);
    const work = jest.fn();

    const change = changes.apply({ tenantId: TENANT_ID, kind: 'provider_key' }, work);

    await expect(change).rejects.toMatchObject({ code: ConfigErrorCode.TenantNotFound });
    expect(work).not.toHaveBeenCalled();
    expect(publisher.publish).not.toHaveBeenCalled();
  });

  it('announces nothing when the work fails', async () => {
    tenants.bumpVersion.mockResolvedValue(2);

    const change = changes.apply({ tenantId: TENANT_ID, kind: 'provider_key' }, async () => {
      throw new Error('insert failed');
    });

    await expect(change).rejects.toThrow('insert failed');
    expect(publisher.publish).not.toHaveBeenCalled();
  });
});
