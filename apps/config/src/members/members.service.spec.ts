import { EntityManager } from 'typeorm';

import { MEMBER_ID, memberRow, TENANT_ID, tenantRow } from '../../test/entities';
import { typedMock } from '../../test/typed-mock';
import { ConfigErrorCode } from '../errors/config-error-code';
import { TenantChanges } from '../tenants/tenant-changes.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { VirtualKeysRepository } from '../virtual-keys/virtual-keys.repository';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';

describe(MembersService.name, () => {
  const tx = {} as EntityManager;
  let members: jest.Mocked<MembersRepository>;
  let virtualKeys: jest.Mocked<VirtualKeysRepository>;
  let tenants: jest.Mocked<TenantsRepository>;
  let changes: jest.Mocked<TenantChanges>;
  let service: MembersService;

  beforeEach(() => {
    members = typedMock<MembersRepository>();
    virtualKeys = typedMock<VirtualKeysRepository>();
    tenants = typedMock<TenantsRepository>();
    changes = typedMock<TenantChanges>();
    changes.apply.mockImplementation((_change, work) => work(tx));
    service = new MembersService(members, virtualKeys, tenants, changes);
  });

  it('creates a member with its rules in canonical form, as an announced config change', async () => {
    members.insert.mockResolvedValue(memberRow({ modelMapper: 'gpt-4=gpt-4o-mini' }));

    const response = await service.create({
      tenantId: TENANT_ID,
      name: 'analytics',
      modelMapper: ' gpt-4 = gpt-4o-mini ',
    });

    expect(changes.apply).toHaveBeenCalledWith(
      { tenantId: TENANT_ID, kind: 'tenant_config' },
      expect.any(Function),
    );
    expect(members.insert).toHaveBeenCalledWith(
      tx,
      expect.objectContaining({ tenantId: TENANT_ID, modelMapper: 'gpt-4=gpt-4o-mini' }),
    );
    expect(response.member).toMatchObject({ id: MEMBER_ID, name: 'analytics' });
  });

  it.each([
    [{ name: ' ', modelMapper: '' }, 'name: must be 1 to 100 characters'],
    [{ name: 'ops', modelMapper: 'gpt-4' }, 'model_mapper:'],
  ])('refuses %j before writing, naming the field', async (fields, message) => {
    const response = service.create({ tenantId: TENANT_ID, ...fields });

    await expect(response).rejects.toMatchObject({ code: ConfigErrorCode.InvalidArgument });
    await expect(response).rejects.toThrow(message);
    expect(changes.apply).not.toHaveBeenCalled();
  });

  it('lists the members of a known tenant', async () => {
    tenants.findById.mockResolvedValue(tenantRow());
    members.listByTenant.mockResolvedValue([memberRow(), memberRow({ name: 'support' })]);

    const response = await service.list({ tenantId: TENANT_ID });

    expect(response.members.map((member) => member.name)).toEqual(['analytics', 'support']);
  });

  it('updates only the fields that are set', async () => {
    members.update.mockResolvedValue(memberRow({ modelMapper: '' }));

    await service.update({ tenantId: TENANT_ID, id: MEMBER_ID, modelMapper: '' });

    expect(members.update).toHaveBeenCalledWith(tx, TENANT_ID, MEMBER_ID, { modelMapper: '' });
  });

  it('answers NOT_FOUND to an update of a member the tenant does not have', async () => {
    members.update.mockResolvedValue(null);

    const response = service.update({ tenantId: TENANT_ID, id: MEMBER_ID, name: 'x' });

    await expect(response).rejects.toMatchObject({ code: ConfigErrorCode.MemberNotFound });
  });

  it("revokes the member's keys and deletes it in one announced virtual-key change", async () => {
    virtualKeys.revokeAllOfMember.mockResolvedValue(['k1', 'k2']);
    members.delete.mockResolvedValue(true);

    const response = await service.delete({ tenantId: TENANT_ID, id: MEMBER_ID });

    expect(changes.apply).toHaveBeenCalledWith(
      { tenantId: TENANT_ID, kind: 'virtual_key' },
      expect.any(Function),
    );
    expect(virtualKeys.revokeAllOfMember).toHaveBeenCalledWith(tx, TENANT_ID, MEMBER_ID);
    expect(response).toEqual({ revokedVirtualKeyIds: ['k1', 'k2'] });
  });

  it('answers NOT_FOUND to the deletion of an unknown member (the transaction rolls back)', async () => {
    virtualKeys.revokeAllOfMember.mockResolvedValue([]);
    members.delete.mockResolvedValue(false);

    const response = service.delete({ tenantId: TENANT_ID, id: MEMBER_ID });

    await expect(response).rejects.toMatchObject({ code: ConfigErrorCode.MemberNotFound });
  });
});
