import { VirtualKey, VirtualKeyRole } from '@xai/contracts';

import { VirtualKeyEntity, VirtualKeyRoleName } from '../virtual-key.entity';

const ROLES: Record<VirtualKeyRoleName, VirtualKeyRole> = {
  owner: 'VIRTUAL_KEY_ROLE_OWNER',
  member: 'VIRTUAL_KEY_ROLE_MEMBER',
};

/** A virtual key's record as the proto's `VirtualKey`; it never carries the hash. */
export function toVirtualKeyMessage(key: VirtualKeyEntity): VirtualKey {
  return { id: key.id, tenantId: key.tenantId, role: ROLES[key.role], name: key.name };
}
