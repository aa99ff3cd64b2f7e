import { Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { DeleteTenantRequest, DeleteTenantResponse } from '@xai/contracts';
import { EntityManager } from 'typeorm';

import { UnitOfWork } from '../database/unit-of-work';
import { ConfigChangePublisher } from '../events/config-change.publisher';
import { ProviderKeyEntity } from '../provider-keys/provider-key.entity';
import { requireUuid } from '../validation/field-validators';
import { VirtualKeyEntity } from '../virtual-keys/virtual-key.entity';
import { TenantEntity } from './tenant.entity';
import { TenantsRepository } from './tenants.repository';

interface Deleted {
  version: number;
  providerKeyIds: string[];
  virtualKeys: number;
}

/**
 * Deletes a tenant with every row under it (ON DELETE CASCADE), then tells the gateways: one
 * event per provider key, so every replica drops its plaintext at once, and one for the
 * virtual keys. The tenant's secrets are destroyed by key-vault (DestroyTenant), not here.
 */
@Injectable()
export class TenantDeletionService {
  private readonly logger = new AppLogger(TenantDeletionService.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly tenants: TenantsRepository,
    private readonly publisher: ConfigChangePublisher,
  ) {}

  async delete(request: DeleteTenantRequest): Promise<DeleteTenantResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);

    const deleted = await this.unitOfWork.run((tx) => this.deleteIn(tx, tenantId));
    if (!deleted) return { deleted: false, virtualKeysDeleted: 0, providerKeysDeleted: 0 };

    const { version, providerKeyIds } = deleted;
    for (const providerKeyId of providerKeyIds) {
      await this.publisher.publish({ tenantId, version, kind: 'provider_key', providerKeyId });
    }
    await this.publisher.publish({ tenantId, version, kind: 'virtual_key' });
    this.logger.info('tenant deleted', {
      tenantId,
      providerKeys: providerKeyIds.length,
      virtualKeys: deleted.virtualKeys,
    });

    return {
      deleted: true,
      virtualKeysDeleted: deleted.virtualKeys,
      providerKeysDeleted: providerKeyIds.length,
    };
  }

  private async deleteIn(tx: EntityManager, tenantId: string): Promise<Deleted | undefined> {
    // Bumping first locks the tenant row, so no change slips in between the counts and the delete.
    const version = await this.tenants.bumpVersion(tx, tenantId);
    if (version === undefined) return undefined;

    const keys = await tx.find(ProviderKeyEntity, { select: { id: true }, where: { tenantId } });
    const virtualKeys = await tx.countBy(VirtualKeyEntity, { tenantId });
    await tx.delete(TenantEntity, { id: tenantId });

    return { version, providerKeyIds: keys.map((key) => key.id), virtualKeys };
  }
}
