import { Member } from '@xai/contracts';

import { MemberEntity } from '../member.entity';

/** A member as the proto's `Member`. */
export function toMemberMessage(member: MemberEntity): Member {
  return {
    id: member.id,
    tenantId: member.tenantId,
    name: member.name,
    modelMapper: member.modelMapper,
    createdAt: member.createdAt.toISOString(),
    updatedAt: member.updatedAt.toISOString(),
  };
}
