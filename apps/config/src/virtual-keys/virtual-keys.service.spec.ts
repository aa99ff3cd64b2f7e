import { EntityManager } from 'typeorm';

import { TENANT_ID, tenantRow, virtualKeyRow } from '../../test/entities';
import { typedMock } from '../../test/typed-mock';
import { UnitOfWork } from '../database/unit-of-work';
import { ConfigErrorCode } from '../errors/config-error-code';
import { ConfigChangePublisher } from '../events/config-change.publisher';
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
  let service: VirtualKeysService;

  beforeEach(() => {
    unitOfWork = typedMock<UnitOfWork>();
    unitOfWork.run.mockImplementation((work) => work(tx));
    virtualKeys = typedMock<VirtualKeysRepository>();
    tenants = typedMock<TenantsRepository>();
    publisher = typedMock<ConfigChangePublisher>();
    service = new VirtualKeysService(unitOfWork, virtualKeys, tenants, publisher);
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
});
