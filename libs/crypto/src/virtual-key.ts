import { createHmac } from 'node:crypto';

import { encodeAssociatedData } from './associated-data';
import { CHECKED_TOKEN_BODY_LENGTH, generateCheckedToken, isCheckedToken } from './checked-token';
import { CryptoErrorCode, CryptoException } from './crypto.exception';
import { deriveKey } from './key-derivation';

/** The prefix every generated virtual key starts with, so scanners can recognise one. */
export const VIRTUAL_KEY_PREFIX = 'xai-';

const HINT_CHARS = 4;
const LOOKUP_HASH_LABEL = 'xai/virtual-key/lookup-hash/v1';
const WRAPPING_SECRET_LABEL = 'xai/virtual-key/wrapping-secret/v1';

/** Length of a generated virtual key in characters. */
export const VIRTUAL_KEY_LENGTH = VIRTUAL_KEY_PREFIX.length + CHECKED_TOKEN_BODY_LENGTH;

/**
 * Generates a virtual key: `xai-`, 43 base62 characters carrying 256 random bits, then a
 * 6-character base62 CRC-32 of those characters, so a mistyped or made-up key can be rejected
 * without a lookup. Shown to its owner once; only its lookup hash is stored.
 */
export function generateVirtualKey(): string {
  return generateCheckedToken(VIRTUAL_KEY_PREFIX);
}

/**
 * Whether `key` has the shape of a generated virtual key: prefix, length, characters and
 * checksum. A `true` says nothing about whether the key was ever issued.
 */
export function isWellFormedVirtualKey(key: string): boolean {
  return isCheckedToken(VIRTUAL_KEY_PREFIX, key);
}

/**
 * The value a virtual key is stored and looked up by: hex HMAC-SHA256 under `pepper` (kept
 * out of the database) with its own label. Works for any non-empty key, including operator
 * bootstrap keys that are not in the `xai-` format.
 *
 * @throws CryptoException `INVALID_INPUT` for an empty key or pepper.
 */
export function virtualKeyLookupHash(key: string, pepper: string): string {
  assertNonEmpty(key, 'virtual key');
  assertNonEmpty(pepper, 'pepper');

  return createHmac('sha256', pepper)
    .update(encodeAssociatedData(LOOKUP_HASH_LABEL, [key]))
    .digest('hex');
}

/**
 * The 32-byte value the gateway sends key-vault in place of the virtual key, to open the
 * credential slot of that key. HKDF-SHA256 with a label distinct from the lookup hash's, so
 * what the database stores cannot open a slot.
 *
 * @throws CryptoException `INVALID_INPUT` for an empty key.
 */
export function virtualKeyWrappingSecret(key: string): Buffer {
  assertNonEmpty(key, 'virtual key');

  return deriveKey(Buffer.from(key, 'utf8'), WRAPPING_SECRET_LABEL);
}

/**
 * A short, non-secret prefix to show in lists, such as `xai-AbC1…`: the `xai-` prefix (when
 * present) and four characters, never more than a quarter of the key.
 */
export function virtualKeyHint(key: string): string {
  const wanted = (key.startsWith(VIRTUAL_KEY_PREFIX) ? VIRTUAL_KEY_PREFIX.length : 0) + HINT_CHARS;
  const visible = Math.min(wanted, Math.floor(key.length / 4));

  return `${key.slice(0, visible)}…`;
}

/** @throws CryptoException `INVALID_INPUT` when `value` is empty. Internal to this lib. */
export function assertNonEmpty(value: string, name: string): void {
  if (value.length === 0) {
    throw new CryptoException(CryptoErrorCode.InvalidInput, `${name} is empty`);
  }
}
