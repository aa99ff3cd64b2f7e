import { VirtualKeyRole } from '@xai/contracts';

/** Who is calling: the authenticated virtual key (or recovery code) and what it may do. */
export interface Caller {
  tenantId: string;
  virtualKeyId: string;
  role: VirtualKeyRole;
  /**
   * The value derived from the caller's virtual key that opens the tenant's keyring in
   * key-vault. Kept only in memory, never logged.
   */
  wrappingSecret: Buffer;
  /** When the key stops authenticating (ms since the epoch), after a rotation with grace. */
  expiresAt?: number;
  /** The member the virtual key was issued for; absent for the owner's keys. */
  memberId?: string;
  /**
   * The management request this caller is making (its `x-request-id`), set by the guards of
   * the management API; the cached caller of a key carries none.
   */
  requestId?: string;
}

/** Whether the caller is the tenant's owner. */
export function isOwner(caller: Caller): boolean {
  return caller.role === 'VIRTUAL_KEY_ROLE_OWNER';
}

/** Whether the caller presented a recovery code, which may only issue a new owner key. */
export function isRecovery(caller: Caller): boolean {
  return caller.role === 'VIRTUAL_KEY_ROLE_RECOVERY';
}

/** The caller's credential as key-vault takes it: its slot id and wrapping secret. */
export function credentialOf(caller: Caller): { slotId: string; wrappingSecret: Buffer } {
  return { slotId: caller.virtualKeyId, wrappingSecret: caller.wrappingSecret };
}
