import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import {
  CreateMemberRequest,
  CreateMemberResponse,
  DeleteMemberRequest,
  DeleteMemberResponse,
  ListMembersRequest,
  ListMembersResponse,
  UpdateMemberRequest,
  UpdateMemberResponse,
} from '@xai/contracts';

import { ConfigException } from '../errors/config.exception';
import { TenantChanges } from '../tenants/tenant-changes.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { requireUuid } from '../validation/field-validators';
import { VirtualKeysRepository } from '../virtual-keys/virtual-keys.repository';
import { validateMemberChanges, validateNewMember } from './dto/member-input';
import { toMemberMessage } from './dto/member.message';
import { MembersRepository } from './members.repository';

/**
 * A tenant's members. Their rules are part of the tenant's routing, so every change bumps the
 * tenant's version and is announced; deleting a member revokes its virtual keys in the same
 * transaction, so no key of a deleted member authenticates a moment longer.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly members: MembersRepository,
    private readonly virtualKeys: VirtualKeysRepository,
    private readonly tenants: TenantsRepository,
    private readonly changes: TenantChanges,
  ) {}

  async create(request: CreateMemberRequest): Promise<CreateMemberResponse> {
    const member = validateNewMember(request);

    const stored = await this.changes.apply(
      { tenantId: member.tenantId, kind: 'tenant_config' },
      (tx) => this.members.insert(tx, { ...member, id: randomUUID() }),
    );

    return { member: toMemberMessage(stored) };
  }

  async list(request: ListMembersRequest): Promise<ListMembersResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    if (!(await this.tenants.findById(tenantId))) throw ConfigException.tenantNotFound(tenantId);

    const members = await this.members.listByTenant(tenantId);

    return { members: members.map(toMemberMessage) };
  }

  async update(request: UpdateMemberRequest): Promise<UpdateMemberResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    const id = requireUuid('id', request.id);
    const changes = validateMemberChanges(request);

    const stored = await this.changes.apply({ tenantId, kind: 'tenant_config' }, async (tx) => {
      const member = await this.members.update(tx, tenantId, id, changes);
      if (!member) throw ConfigException.memberNotFound(id);

      return member;
    });

    return { member: toMemberMessage(stored) };
  }

  async delete(request: DeleteMemberRequest): Promise<DeleteMemberResponse> {
    const tenantId = requireUuid('tenant_id', request.tenantId);
    const id = requireUuid('id', request.id);

    // Announced as a virtual-key change: gateways drop the member's cached keys at once.
    const revoked = await this.changes.apply({ tenantId, kind: 'virtual_key' }, async (tx) => {
      const keyIds = await this.virtualKeys.revokeAllOfMember(tx, tenantId, id);
      if (!(await this.members.delete(tx, tenantId, id))) throw ConfigException.memberNotFound(id);

      return keyIds;
    });

    return { revokedVirtualKeyIds: revoked };
  }
}
