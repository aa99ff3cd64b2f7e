import { EntityManager } from 'typeorm';

import { MEMBER_ID, TENANT_ID, tenantRow, virtualKeyRow } from '../../test/entities';
import { typedMock } from '../../test/typed-mock';
import { UnitOfWork } from '../database/unit-of-work';
import { ConfigErrorCode } from '../errors/config-error-code';
import { ConfigChangePublisher } from '../events/config-change.publisher';
import { TenantChanges } from '../tenants/tenant-changes.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { VirtualKeysRepository } from './virtual-keys.repository';
import { VirtualKeysService } from './virtual-keys.service';

const HASH = 'ab'.repeat(32);

describe(VirtualKeysService.name, () => {
  const tx = {} as EntityManager;
  let unitOfWork: jest.Mocked<UnitOfWork>;
  let virtualKeys: jest.Mocked<VirtualKeysRepository>;
  let tenants: jest.Mocked<TenantsRepository>;
  let publisher: jest.Mocked<ConfigChangePublisher>;
  let changes: jest.Mocked<TenantChanges>;
  let service: VirtualKeysService;

  beforeEach(() => {
    unitOfWork = typedMock<UnitOfWork>();
    unitOfWork.run.mockImplementation((work) => work(tx));
    virtualKeys = typedMock<VirtualKeysRepository>();
    tenants = typedMock<TenantsRepository>();
    publisher = typedMock<ConfigChangePublisher>();
    changes = typedMock<TenantChanges>();
    changes.apply.mockImplementation((_change, work) => work(tx));
    service = new VirtualKeysService(unitOfWork, virtualKeys, tenants, publisher, changes);
  });

  describe('bootstrapOwner', () => {
    it('creates the default tenant and its owner key when there is no tenant', async () => {
      virtualKeys.findActiveByHash.mockResolvedValue(null);
      tenants.any.mockResolvedValue(false);
      tenants.create.mockResolvedValue(tenantRow({ version: 1 }));
      virtualKeys.create.mockResolvedValue(virtualKeyRow({ keyHash: HASH }));

      const response = await service.bootstrapOwner({
        virtualKeyHash: HASH.toUpperCase(),
        virtualKeyHint: 'xai-ab',
      });

      expect(tenants.lockForBootstrap).toHaveBeenCalledWith(tx);
      expect(tenants.create).toHaveBeenCalledWith(tx, expect.objectContaining({ name: 'default' }));
      expect(virtualKeys.create).toHaveBeenCalledWith(
        tx,
        expect.objectContaining({ tenantId: TENANT_ID, keyHash: HASH, role: 'owner' }),
      );
      expect(response).toEqual({
        created: true,
        virtualKey: expect.objectContaining({ role: 'VIRTUAL_KEY_ROLE_OWNER' }),
      });
      expect(publisher.publish).toHaveBeenCalledWith({
        tenantId: TENANT_ID,
        version: 1,
        kind: 'virtual_key',
      });
    });

    it('confirms a hash that is already registered', async () => {
      virtualKeys.findActiveByHash.mockResolvedValue(virtualKeyRow({ keyHash: HASH }));

      const response = await service.bootstrapOwner({ virtualKeyHash: HASH, virtualKeyHint: '' });

      expect(response).toEqual({
        created: false,
        virtualKey: expect.objectContaining({ name: 'owner' }),
      });
      expect(tenants.create).not.toHaveBeenCalled();
      expect(publisher.publish).not.toHaveBeenCalled();
    });

    it('does nothing for a new hash once a tenant exists', async () => {
      virtualKeys.findActiveByHash.mockResolvedValue(null);
      tenants.any.mockResolvedValue(true);

      const response = await service.bootstrapOwner({ virtualKeyHash: HASH, virtualKeyHint: '' });

      expect(response).toEqual({ created: false });
      expect(tenants.create).not.toHaveBeenCalled();
    });

    it('takes the lock before looking at anything', async () => {
      virtualKeys.findActiveByHash.mockResolvedValue(virtualKeyRow());

      await service.bootstrapOwner({ virtualKeyHash: HASH, virtualKeyHint: '' });

      const lockOrder = tenants.lockForBootstrap.mock.invocationCallOrder[0];
      const lookupOrder = virtualKeys.findActiveByHash.mock.invocationCallOrder[0];
      expect(lockOrder).toBeLessThan(lookupOrder);
    });

    it.each([
      [{ virtualKeyHash: 'xyz', virtualKeyHint: '' }, 'virtual_key_hash: must be an HMAC-SHA256'],
      [
        { virtualKeyHash: HASH, virtualKeyHint: 'xai-0123456789abcdef0123456789' },
        'virtual_key_hint: must be 1 to 16 characters',
      ],
    ])('refuses %j', async (request, message) => {
      const response = service.bootstrapOwner(request);

      await expect(response).rejects.toMatchObject({ code: ConfigErrorCode.InvalidArgument });
      await expect(response).rejects.toThrow(message);
      expect(unitOfWork.run).not.toHaveBeenCalled();
    });
  });

  describe('resolve', () => {
    it('returns the active key with this hash', async () => {
      virtualKeys.findActiveByHash.mockResolvedValue(virtualKeyRow({ keyHash: HASH }));

      const response = await service.resolve({ virtualKeyHash: HASH });

      expect(virtualKeys.findActiveByHash).toHaveBeenCalledWith(HASH);
      expect(response.virtualKey).toEqual({
        id: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
        tenantId: TENANT_ID,
        role: 'VIRTUAL_KEY_ROLE_OWNER',
        name: 'owner',
        hint: 'xai-ab',
        createdAt: '2026-01-02T03:04:05.000Z',
        expiresAt: undefined,
        memberId: undefined,
      });
    });

    it('answers NOT_FOUND without echoing the hash', async () => {
      virtualKeys.findActiveByHash.mockResolvedValue(null);

      const response = service.resolve({ virtualKeyHash: HASH });

      await expect(response).rejects.toMatchObject({
        code: ConfigErrorCode.VirtualKeyNotFound,
        message: 'virtual key not found',
      });
    });
  });

  describe('issue', () => {
    const request = {
      tenantId: TENANT_ID,
      id: 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70',
      virtualKeyHash: HASH,
      virtualKeyHint: 'xai-ab',
      role: 'VIRTUAL_KEY_ROLE_MEMBER' as const,
      name: 'ci',
    };

    it('records the key under a tenant change', async () => {
      virtualKeys.create.mockResolvedValue(virtualKeyRow({ role: 'member', name: 'ci' }));

      const response = await service.issue(request);

      expect(changes.apply).toHaveBeenCalledWith(
        { tenantId: TENANT_ID, kind: 'virtual_key' },
        expect.any(Function),
      );
      expect(virtualKeys.create).toHaveBeenCalledWith(
        tx,
        expect.objectContaining({ id: request.id, keyHash: HASH, role: 'member', name: 'ci' }),
      );
      expect(response.virtualKey.role).toBe('VIRTUAL_KEY_ROLE_MEMBER');
    });

    it('records a member key with its member, once the member is found in the tenant', async () => {
      virtualKeys.memberExists.mockResolvedValue(true);
      virtualKeys.create.mockResolvedValue(virtualKeyRow({ role: 'member', memberId: MEMBER_ID }));

      const response = await service.issue({ ...request, memberId: MEMBER_ID });

      expect(virtualKeys.memberExists).toHaveBeenCalledWith(tx, TENANT_ID, MEMBER_ID);
      expect(virtualKeys.create).toHaveBeenCalledWith(
        tx,
        expect.objectContaining({ memberId: MEMBER_ID }),
      );
      expect(response.virtualKey.memberId).toBe(MEMBER_ID);
    });

    it('answers NOT_FOUND for a member the tenant does not have', async () => {
      virtualKeys.memberExists.mockResolvedValue(false);

      const response = service.issue({ ...request, memberId: MEMBER_ID });

      await expect(response).rejects.toMatchObject({ code: ConfigErrorCode.MemberNotFound });
      expect(virtualKeys.create).not.toHaveBeenCalled();
    });

    it('refuses a member for an owner key', async () => {
      const response = service.issue({
        ...request,
        role: 'VIRTUAL_KEY_ROLE_OWNER',
        memberId: MEMBER_ID,
      });

      await expect(response).rejects.toThrow('member_id: is only for member keys');
      expect(changes.apply).not.toHaveBeenCalled();
    });

    it('refuses an unspecified role before writing', async () => {
      const response = service.issue({ ...request, role: 'VIRTUAL_KEY_ROLE_UNSPECIFIED' });

      await expect(response).rejects.toThrow('role: must be owner, member or recovery');
      expect(changes.apply).not.toHaveBeenCalled();
    });
  });

  describe('revoke', () => {
    it('answers NOT_FOUND for a key the tenant has no live record of', async () => {
      virtualKeys.revoke.mockResolvedValue(null);

      const response = service.revoke({
        tenantId: TENANT_ID,
        id: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
        graceSeconds: 0,
      });

      await expect(response).rejects.toMatchObject({ code: ConfigErrorCode.VirtualKeyNotFound });
    });

    it('passes the grace period on and returns the expiry', async () => {
      const expiresAt = new Date('2026-01-02T04:04:05.000Z');
      virtualKeys.revoke.mockResolvedValue(virtualKeyRow({ expiresAt }));

      const response = await service.revoke({
        tenantId: TENANT_ID,
        id: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
        graceSeconds: 3600,
      });

      expect(virtualKeys.revoke).toHaveBeenCalledWith(
        tx,
        TENANT_ID,
        'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
        3600,
        false,
      );
      expect(response.virtualKey.expiresAt).toBe(expiresAt.toISOString());
    });

    it('answers ALREADY_REVOKED when a compare-and-set revocation finds one scheduled', async () => {
      virtualKeys.revoke.mockResolvedValue(null);

      const response = service.revoke({
        tenantId: TENANT_ID,
        id: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
        graceSeconds: 60,
        onlyIfUnscheduled: true,
      });

      await expect(response).rejects.toMatchObject({
        code: ConfigErrorCode.VirtualKeyAlreadyRevoked,
      });
      expect(virtualKeys.revoke).toHaveBeenCalledWith(
        tx,
        TENANT_ID,
        'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
        60,
        true,
      );
    });
  });
});
