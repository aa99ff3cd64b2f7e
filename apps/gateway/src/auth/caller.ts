import { VirtualKeyRole } from '@xai/contracts';

/** Who is calling: the authenticated virtual key and what it may do. */
export interface Caller {
  tenantId: string;
  virtualKeyId: string;
  role: VirtualKeyRole;
  /**
   * The value derived from the caller's virtual key that opens the tenant's keyring in
   * key-vault. Kept only in memory, never logged.
   */
  wrappingSecret: Buffer;
}

/** Whether the caller is the tenant's owner. */
export function isOwner(caller: Caller): boolean {
  return caller.role === 'VIRTUAL_KEY_ROLE_OWNER';
}
