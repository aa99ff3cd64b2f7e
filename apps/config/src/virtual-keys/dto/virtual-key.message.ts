import { VirtualKey, VirtualKeyRole } from '@xai/contracts';

import { ConfigException } from '../../errors/config.exception';
import { VirtualKeyEntity, VirtualKeyRoleName } from '../virtual-key.entity';

const ROLES: Record<VirtualKeyRoleName, VirtualKeyRole> = {
  owner: 'VIRTUAL_KEY_ROLE_OWNER',
  member: 'VIRTUAL_KEY_ROLE_MEMBER',
  recovery: 'VIRTUAL_KEY_ROLE_RECOVERY',
};

/** A virtual key's record as the proto's `VirtualKey`; it never carries the hash. */
export function toVirtualKeyMessage(key: VirtualKeyEntity): VirtualKey {
  return {
    id: key.id,
    tenantId: key.tenantId,
    role: ROLES[key.role],
    name: key.name,
    hint: key.hint,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString(),
    memberId: key.memberId ?? undefined,
  };
}

/** The stored role of a proto role. */
export function requireRole(field: string, role: VirtualKeyRole): VirtualKeyRoleName {
  const found = (Object.keys(ROLES) as VirtualKeyRoleName[]).find((name) => ROLES[name] === role);
  if (!found) throw ConfigException.invalid(field, 'must be owner, member or recovery');

  return found;
}
