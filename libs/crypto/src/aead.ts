import { randomBytes } from 'node:crypto';

import { xchacha20poly1305 } from '@noble/ciphers/chacha';

import { CryptoErrorCode, CryptoException } from './crypto.exception';

/** Length of an AEAD key in bytes. */
export const AEAD_KEY_BYTES = 32;

/** Length of the random nonce that starts every sealed value. */
export const AEAD_NONCE_BYTES = 24;

/** Length of the Poly1305 tag that ends every sealed value. */
export const AEAD_TAG_BYTES = 16;

/** A fresh random 32-byte AEAD key, such as a tenant's data key (DEK). */
export function generateAeadKey(): Buffer {
  return randomBytes(AEAD_KEY_BYTES);
}

/**
 * Encrypts and authenticates `plaintext` with XChaCha20-Poly1305 under a fresh random nonce,
 * binding `associatedData` (which is authenticated but not stored).
 *
 * @returns `nonce (24) || ciphertext || tag (16)`.
 * @throws CryptoException `INVALID_KEY` when the key is not 32 bytes.
 */
export function sealAead(
  key: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
): Buffer {
  return sealAeadWithNonce(key, randomBytes(AEAD_NONCE_BYTES), plaintext, associatedData);
}

/**
 * Checks and decrypts a value made by {@link sealAead} with the same key and associated data.
 * Nothing is returned unless the whole value authenticates.
 *
 * @throws CryptoException `AUTHENTICATION_FAILED` on any tampering or mismatch, `MALFORMED`
 * when the value is too short to hold a nonce and a tag, `INVALID_KEY` for a bad key length.
 */
export function openAead(key: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array): Buffer {
  assertKey(key);
  if (sealed.length < AEAD_NONCE_BYTES + AEAD_TAG_BYTES) {
    throw new CryptoException(CryptoErrorCode.Malformed, 'sealed value is too short');
  }

  const nonce = sealed.subarray(0, AEAD_NONCE_BYTES);
  const body = sealed.subarray(AEAD_NONCE_BYTES);
  try {
    return Buffer.from(xchacha20poly1305(key, nonce, associatedData).decrypt(body));
  } catch (error) {
    throw new CryptoException(
      CryptoErrorCode.AuthenticationFailed,
      'sealed value failed authentication',
      { cause: error },
    );
  }
}

/**
 * {@link sealAead} with a caller-chosen nonce. Internal: only the published test vectors use
 * it, since a repeated nonce under one key breaks the cipher.
 */
export function sealAeadWithNonce(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
): Buffer {
  assertKey(key);
  const body = xchacha20poly1305(key, nonce, associatedData).encrypt(plaintext);

  return Buffer.concat([nonce, body]);
}

function assertKey(key: Uint8Array): void {
  if (key.length !== AEAD_KEY_BYTES) {
    throw new CryptoException(
      CryptoErrorCode.InvalidKey,
      `AEAD key must be ${AEAD_KEY_BYTES} bytes, got ${key.length}`,
    );
  }
}
