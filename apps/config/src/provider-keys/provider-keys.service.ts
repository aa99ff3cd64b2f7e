import { Injectable } from '@nestjs/common';
import {
  CreateProviderKeyRequest,
  CreateProviderKeyResponse,
  DeleteProviderKeyRequest,
  DeleteProviderKeyResponse,
  ListProviderKeysRequest,
  ListProviderKeysResponse,
  UpdateProviderKeyRequest,
  UpdateProviderKeyResponse,
} from '@xai/contracts';

import { ConfigException } from '../errors/config.exception';
import { TenantChanges } from '../tenants/tenant-changes.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { requireUuid } from '../validation/field-validators';
import { validateNewProviderKey, validateProviderKeyChanges } from './dto/provider-key-input';
import { toProviderKeyMessage } from './dto/provider-key.message';
import { ProviderKeysRepository } from './provider-keys.repository';

/** Provider-key metadata: every change bumps the tenant's version and is announced. */
@Injectable()
export class ProviderKeysService {
  constructor(
    private readonly providerKeys: ProviderKeysRepository,
    private readonly tenants: TenantsRepository,
    private readonly changes: TenantChanges,
  ) {}

  async create(request: CreateProviderKeyRequest): Promise<CreateProviderKeyResponse> {
    const key = validateNewProviderKey(request);

    const stored = await this.changes.apply(
      { tenantId: key.tenantId, kind: 'provider_key', providerKeyId: key.id },
      (tx) => this.providerKeys.insert(tx, key),
    );

    return { providerKey: toProviderKeyMessage(stored) };
  }

  async list(request: ListProviderKeysRequest): Promise<ListProviderKeysResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    if (!(await this.tenants.findById(tenantId))) throw ConfigException.tenantNotFound(tenantId);

    const keys = await this.providerKeys.listByTenant(tenantId);

    return { providerKeys: keys.map(toProviderKeyMessage) };
  }

  async update(request: UpdateProviderKeyRequest): Promise<UpdateProviderKeyResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    const id = requireUuid('id', request.id);
    const changes = validateProviderKeyChanges(request);

    const stored = await this.changes.apply(
      { tenantId, kind: 'provider_key', providerKeyId: id },
      async (tx) => {
        const key = await this.providerKeys.update(tx, tenantId, id, changes);
        if (!key) throw ConfigException.providerKeyNotFound(id);

        return key;
      },
    );

    return { providerKey: toProviderKeyMessage(stored) };
  }

  async delete(request: DeleteProviderKeyRequest): Promise<DeleteProviderKeyResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    const id = requireUuid('id', request.id);

    await this.changes.apply({ tenantId, kind: 'provider_key', providerKeyId: id }, async (tx) => {
      if (!(await this.providerKeys.delete(tx, tenantId, id))) {
        throw ConfigException.providerKeyNotFound(id);
      }
    });

    return {};
  }
}
