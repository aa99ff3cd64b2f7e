import { createHmac, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

import { encodeAssociatedData } from './associated-data';
import { BASE62_PATTERN, encodeBase62 } from './base62';
import { CryptoErrorCode, CryptoException } from './crypto.exception';
import { deriveKey } from './key-derivation';

/** The prefix every generated virtual key starts with, so scanners can recognise one. */
export const VIRTUAL_KEY_PREFIX = 'xai-';

const BODY_BYTES = 32;
// 62^43 > 2^256, so 43 base62 characters hold any 32-byte body.
const BODY_CHARS = 43;
// 62^6 > 2^32, so 6 base62 characters hold any CRC-32.
const CHECKSUM_CHARS = 6;
const HINT_CHARS = 4;
const LOOKUP_HASH_LABEL = 'xai/virtual-key/lookup-hash/v1';
const WRAPPING_SECRET_LABEL = 'xai/virtual-key/wrapping-secret/v1';
const WELL_FORMED = new RegExp(
  `^${VIRTUAL_KEY_PREFIX}${BASE62_PATTERN}{${BODY_CHARS}}${BASE62_PATTERN}{${CHECKSUM_CHARS}}$`,
);

/** Length of a generated virtual key in characters. */
export const VIRTUAL_KEY_LENGTH = VIRTUAL_KEY_PREFIX.length + BODY_CHARS + CHECKSUM_CHARS;

/**
 * Generates a virtual key: `xai-`, 43 base62 characters carrying 256 random bits, then a
 * 6-character base62 CRC-32 of those characters, so a mistyped or made-up key can be rejected
 * without a lookup. Shown to its owner once; only its lookup hash is stored.
 */
export function generateVirtualKey(): string {
  const body = encodeBase62(randomBytes(BODY_BYTES), BODY_CHARS);

  return `${VIRTUAL_KEY_PREFIX}${body}${checksumOf(body)}`;
}

/**
 * Whether `key` has the shape of a generated virtual key: prefix, length, characters and
 * checksum. A `true` says nothing about whether the key was ever issued.
 */
export function isWellFormedVirtualKey(key: string): boolean {
  if (!WELL_FORMED.test(key)) return false;

  const bodyEnd = VIRTUAL_KEY_PREFIX.length + BODY_CHARS;

  return checksumOf(key.slice(VIRTUAL_KEY_PREFIX.length, bodyEnd)) === key.slice(bodyEnd);
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

function checksumOf(body: string): string {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));

  return encodeBase62(crc, CHECKSUM_CHARS);
}

function assertNonEmpty(value: string, name: string): void {
  if (value.length === 0) {
    throw new CryptoException(CryptoErrorCode.InvalidInput, `${name} is empty`);
  }
}
