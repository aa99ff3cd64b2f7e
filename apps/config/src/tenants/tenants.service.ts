import { Injectable } from '@nestjs/common';
import {
  GetTenantConfigRequest,
  GetTenantConfigResponse,
  UpdateTenantConfigRequest,
  UpdateTenantConfigResponse,
} from '@xai/contracts';

import { ConfigException } from '../errors/config.exception';
import { requireUuid } from '../validation/field-validators';
import { toTenantConfigMessage } from './dto/tenant-config.message';
import { validateTenantConfigUpdate } from './dto/tenant-config-update';
import { TenantChanges } from './tenant-changes.service';
import { TenantsRepository } from './tenants.repository';

/** Reads and changes a tenant's routing configuration. */
@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly changes: TenantChanges,
  ) {}

  async getConfig(request: GetTenantConfigRequest): Promise<GetTenantConfigResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant) throw ConfigException.tenantNotFound(tenantId);

    return { config: toTenantConfigMessage(tenant) };
  }

  /** Validates every field first, so a bad item changes nothing. */
  async updateConfig(request: UpdateTenantConfigRequest): Promise<UpdateTenantConfigResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    const patch = validateTenantConfigUpdate(request);

    const tenant = await this.changes.apply({ tenantId, kind: 'tenant_config' }, (tx) =>
      this.tenants.updateConfig(tx, tenantId, patch),
    );

    return { config: toTenantConfigMessage(tenant) };
  }
}
