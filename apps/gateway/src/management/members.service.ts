import { Injectable } from '@nestjs/common';
import { Member } from '@xai/contracts';

import { ManagementAudit } from '../audit/management-audit';
import { Caller, credentialOf } from '../auth/caller';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { CredentialIssuer } from '../custody/credential-issuer';
import { CreateMemberBody, UpdateMemberBody, memberState } from './dto/member.dto';

/**
 * The tenant's members (`/x-users`): create, list, change and delete, each change recorded on
 * the audit trail. Deleting a member revokes its virtual keys (config does it in the same
 * transaction) and then destroys their key-vault slots.
 *
 * A member has its own ModelMapper rules, tried before the owner's. Limits that narrow the
 * owner's (DESIGN.md section 2: allowed models, budgets, rates) are not built: no issue asks
 * for them yet, and the README says so.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly clients: ServiceClients,
    private readonly issuer: CredentialIssuer,
    private readonly audit: ManagementAudit,
  ) {}

  async create(caller: Caller, body: CreateMemberBody): Promise<Member> {
    try {
      const { member } = await this.clients.config.call('createMember', {
        tenantId: caller.tenantId,
        name: body.Name,
        modelMapper: body.ModelMapper,
      });
      this.record(caller, 'create', member.id, undefined, member);

      return member;
    } catch (error) {
      throw fromGrpcError(error, 'create the member');
    }
  }

  async list(caller: Caller): Promise<Member[]> {
    try {
      const { members } = await this.clients.config.call('listMembers', {
        tenantId: caller.tenantId,
      });

      return members;
    } catch (error) {
      throw fromGrpcError(error, 'list the members');
    }
  }

  async update(caller: Caller, id: string, body: UpdateMemberBody): Promise<Member> {
    const before = (await this.list(caller)).find((member) => member.id === id);
    try {
      const { member } = await this.clients.config.call('updateMember', {
        tenantId: caller.tenantId,
        id,
        name: body.Name,
        modelMapper: body.ModelMapper,
      });
      this.record(caller, 'update', id, before, member);

      return member;
    } catch (error) {
      throw fromGrpcError(error, 'change the member');
    }
  }

  /** Deletes the member; resolves the ids of the virtual keys that went with it. */
  async delete(caller: Caller, id: string): Promise<string[]> {
    const before = (await this.list(caller)).find((member) => member.id === id);
    let revoked: string[];
    try {
      ({ revokedVirtualKeyIds: revoked } = await this.clients.config.call('deleteMember', {
        tenantId: caller.tenantId,
        id,
      }));
    } catch (error) {
      throw fromGrpcError(error, 'delete the member');
    }
    this.record(caller, 'delete', id, before, undefined);
    for (const keyId of revoked) {
      await this.issuer.removeSlot(credentialOf(caller), caller.tenantId, keyId, 0);
    }

    return revoked;
  }

  private record(
    caller: Caller,
    action: 'create' | 'update' | 'delete',
    id: string,
    before: Member | undefined,
    after: Member | undefined,
  ): void {
    this.audit.record(caller, {
      resource: 'member',
      resourceId: id,
      action,
      before: memberState(before),
      after: memberState(after),
    });
  }
}
