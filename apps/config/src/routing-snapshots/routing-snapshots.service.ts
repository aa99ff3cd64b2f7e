import { Injectable } from '@nestjs/common';
import { GetRoutingSnapshotRequest, GetRoutingSnapshotResponse } from '@xai/contracts';

import { UnitOfWork } from '../database/unit-of-work';
import { ConfigException } from '../errors/config.exception';
import { toMemberMessage } from '../members/dto/member.message';
import { MembersRepository } from '../members/members.repository';
import { toProviderKeyMessage } from '../provider-keys/dto/provider-key.message';
import { ProviderKeysRepository } from '../provider-keys/provider-keys.repository';
import { toTenantConfigMessage } from '../tenants/dto/tenant-config.message';
import { TenantsRepository } from '../tenants/tenants.repository';
import { requireUuid } from '../validation/field-validators';

/** Everything the gateway needs to route one tenant's calls, read at one point in time. */
@Injectable()
export class RoutingSnapshotsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly tenants: TenantsRepository,
    private readonly providerKeys: ProviderKeysRepository,
    private readonly members: MembersRepository,
  ) {}

  async get(request: GetRoutingSnapshotRequest): Promise<GetRoutingSnapshotResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);

    // One snapshot transaction, so the keys are exactly those of the version reported.
    return this.unitOfWork.run(async (tx) => {
      const tenant = await this.tenants.findById(tenantId, tx);
      if (!tenant) throw ConfigException.tenantNotFound(tenantId);
      const keys = await this.providerKeys.listByTenant(tenantId, tx);
      const members = await this.members.listByTenant(tenantId, tx);

      return {
        config: toTenantConfigMessage(tenant),
        providerKeys: keys.map(toProviderKeyMessage),
        members: members.map(toMemberMessage),
      };
    }, 'REPEATABLE READ');
  }
}
