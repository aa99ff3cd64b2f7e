import { generateCheckedToken, isCheckedToken } from './checked-token';
import { deriveKey } from './key-derivation';
import { assertNonEmpty } from './virtual-key';

/** The prefix of every recovery code, distinct from virtual keys' so neither passes for the other. */
export const RECOVERY_CODE_PREFIX = 'xrc-';

const WRAPPING_SECRET_LABEL = 'xai/recovery-code/wrapping-secret/v1';

/**
 * Generates a tenant's recovery code: `xrc-`, 256 random bits in base62 and a checksum. It is
 * one more credential slot of the tenant's keyring, shown once when the tenant is created and
 * then stored only as a lookup hash (see `virtualKeyLookupHash`) and a sealed slot.
 */
export function generateRecoveryCode(): string {
  return generateCheckedToken(RECOVERY_CODE_PREFIX);
}

/** Whether `code` has the shape of a generated recovery code (prefix, length, checksum). */
export function isWellFormedRecoveryCode(code: string): boolean {
  return isCheckedToken(RECOVERY_CODE_PREFIX, code);
}

/**
 * The 32-byte value the gateway sends key-vault to open a recovery code's slot: HKDF-SHA256
 * with a label of its own, so it differs from the lookup hash and from any virtual key's
 * wrapping secret.
 *
 * @throws CryptoException `INVALID_INPUT` for an empty code.
 */
export function recoveryCodeWrappingSecret(code: string): Buffer {
  assertNonEmpty(code, 'recovery code');

  return deriveKey(Buffer.from(code, 'utf8'), WRAPPING_SECRET_LABEL);
}
