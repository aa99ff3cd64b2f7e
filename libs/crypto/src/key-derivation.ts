import { hkdf } from '@noble/hashes/hkdf';
import { sha256 } from '@noble/hashes/sha2';

import { AssociatedDataField, encodeAssociatedData } from './associated-data';
import { CryptoErrorCode, CryptoException } from './crypto.exception';

/** Length of every derived key in bytes. */
export const DERIVED_KEY_BYTES = 32;

/**
 * Derives a 32-byte key from input keying material with HKDF-SHA256. The `info` is the
 * {@link encodeAssociatedData} encoding of `label` and `context`, so keys for different
 * purposes (labels) or different owners (context) are independent.
 *
 * @throws CryptoException `INVALID_INPUT` when the input keying material is empty.
 */
export function deriveKey(
  inputKeyingMaterial: Uint8Array,
  label: string,
  context: readonly AssociatedDataField[] = [],
): Buffer {
  if (inputKeyingMaterial.length === 0) {
    throw new CryptoException(CryptoErrorCode.InvalidInput, 'key derivation input is empty');
  }

  const info = encodeAssociatedData(label, context);
  // No salt (HKDF's default of zeros, RFC 5869 section 2.2): the label and context separate
  // uses. noble's HKDF rather than node:crypto's because the latter caps `info` at 1024 bytes.
  const key = hkdf(sha256, inputKeyingMaterial, undefined, info, DERIVED_KEY_BYTES);

  return Buffer.from(key);
}
