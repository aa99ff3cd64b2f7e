import { DomainException } from '@xai/common';

/** Why a cryptographic operation was refused. */
export enum CryptoErrorCode {
  /** A sealed value did not authenticate: wrong key, wrong associated data, or tampering. */
  AuthenticationFailed = 'AUTHENTICATION_FAILED',
  /** A sealed value is too short or otherwise not in the expected layout. */
  Malformed = 'MALFORMED',
  /** A key has the wrong length. */
  InvalidKey = 'INVALID_KEY',
  /** Associated-data fields or derivation inputs that cannot be encoded. */
  InvalidInput = 'INVALID_INPUT',
  /** A key-ring text that does not parse. */
  InvalidKeyRing = 'INVALID_KEY_RING',
  /** A key version that the key ring does not hold. */
  UnknownKeyVersion = 'UNKNOWN_KEY_VERSION',
}

/**
 * The one exception `@xai/crypto` throws. Its message never contains key material, plaintext
 * or ciphertext, so it may be logged and mapped to an error for a caller.
 */
export class CryptoException extends DomainException<CryptoErrorCode> {}
