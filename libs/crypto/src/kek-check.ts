import { openAead, sealAead } from './aead';
import { encodeAssociatedData } from './associated-data';
import { CryptoException } from './crypto.exception';

const CHECK_LABEL = 'xai/kek-check/v1';
// What a check value seals. Not secret: the check proves the key, not the plaintext.
const CHECK_PLAINTEXT = Buffer.from('xai kek check', 'utf8');

/**
 * A check value for one KEK version: a fixed plaintext sealed under the key, bound to the
 * version. Stored beside the data it protects, it lets a process that loads the KEK later tell
 * a wrong key from a right one before it seals anything. It reveals nothing about the key.
 */
export function kekCheckValue(key: Uint8Array, version: number): Buffer {
  return sealAead(key, CHECK_PLAINTEXT, encodeAssociatedData(CHECK_LABEL, [version]));
}

/** Whether `checkValue` was made by {@link kekCheckValue} with this key and version. */
export function matchesKekCheckValue(
  key: Uint8Array,
  version: number,
  checkValue: Uint8Array,
): boolean {
  try {
    const opened = openAead(key, checkValue, encodeAssociatedData(CHECK_LABEL, [version]));

    return opened.equals(CHECK_PLAINTEXT);
  } catch (error) {
    if (error instanceof CryptoException) return false;
    throw error;
  }
}
