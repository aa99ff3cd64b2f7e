import { CreateMemberRequest, UpdateMemberRequest } from '@xai/contracts';

import { canonicalModelMapper } from '../../tenants/dto/tenant-config-update';
import { requireText, requireUuid } from '../../validation/field-validators';

/** The longest member name, in characters. */
export const MAX_MEMBER_NAME_LENGTH = 100;

/** A member's changeable fields, validated and in canonical form. */
export interface MemberFields {
  name: string;
  modelMapper: string;
}

/** A CreateMember request, validated: names the bad field (and mapper item). */
export function validateNewMember(request: CreateMemberRequest): MemberFields & {
  tenantId: string;
} {
  return {
    tenantId: requireUuid('tenant_id', request.tenantId),
    name: requireText('name', request.name, MAX_MEMBER_NAME_LENGTH),
    modelMapper: canonicalModelMapper('model_mapper', request.modelMapper),
  };
}

/** The fields an UpdateMember request sets, validated. */
export function validateMemberChanges(request: UpdateMemberRequest): Partial<MemberFields> {
  const changes: Partial<MemberFields> = {};
  if (request.name !== undefined) {
    changes.name = requireText('name', request.name, MAX_MEMBER_NAME_LENGTH);
  }
  if (request.modelMapper !== undefined) {
    changes.modelMapper = canonicalModelMapper('model_mapper', request.modelMapper);
  }

  return changes;
}
