/** Why key-vault refused a request. Each code maps to exactly one gRPC status. */
export enum KeyVaultErrorCode {
  /** A request field is missing, empty, too long or the wrong size. */
  InvalidArgument = 'INVALID_ARGUMENT',
  /** No usable KEK was given at boot, so nothing can be sealed or opened. */
  Sealed = 'SEALED',
  /** The credential has no slot in the tenant's keyring, or its secret does not open it. */
  CredentialRejected = 'CREDENTIAL_REJECTED',
  /** No ciphertext is stored for the provider key. */
  ProviderKeyNotFound = 'PROVIDER_KEY_NOT_FOUND',
  /** A stored provider-key ciphertext did not authenticate: altered, or moved from another row. */
  CiphertextCorrupted = 'CIPHERTEXT_CORRUPTED',
  /** A ciphertext sealed before destinations were bound; it must be stored again. */
  CiphertextUnbound = 'CIPHERTEXT_UNBOUND',
  /** A stored credential slot did not authenticate under the KEK: altered or moved. */
  SlotCorrupted = 'SLOT_CORRUPTED',
  /** A slot was sealed under a KEK version this process was not given. */
  KekVersionUnavailable = 'KEK_VERSION_UNAVAILABLE',
  /** The caller did not prove it is the gateway (no or wrong service token). */
  CallerNotAllowed = 'CALLER_NOT_ALLOWED',
  /** A credential slot with this id exists already. */
  SlotExists = 'SLOT_EXISTS',
  /** A compare-and-set write found the provider key changed since the caller read it. */
  RevisionMismatch = 'REVISION_MISMATCH',
  /** No KEK rotation job has this id. */
  RotationJobNotFound = 'ROTATION_JOB_NOT_FOUND',
  /** Config could not say which records it names, so none is purged. */
  ConfigUnavailable = 'CONFIG_UNAVAILABLE',
  /** Anything unexpected; details go to the log, never to the caller. */
  Internal = 'INTERNAL',
}
