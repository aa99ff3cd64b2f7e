export {
  AEAD_KEY_BYTES,
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  generateAeadKey,
  openAead,
  sealAead,
} from './aead';
export { encodeAssociatedData } from './associated-data';
export type { AssociatedDataField } from './associated-data';
export { CryptoErrorCode, CryptoException } from './crypto.exception';
export { kekCheckValue, matchesKekCheckValue } from './kek-check';
export { DERIVED_KEY_BYTES, deriveKey } from './key-derivation';
export { KeyRing, generateKek, parseKeyRing } from './key-ring';
export {
  RECOVERY_CODE_PREFIX,
  generateRecoveryCode,
  isWellFormedRecoveryCode,
  recoveryCodeWrappingSecret,
} from './recovery-code';
export {
  VIRTUAL_KEY_LENGTH,
  VIRTUAL_KEY_PREFIX,
  generateVirtualKey,
  isWellFormedVirtualKey,
  virtualKeyHint,
  virtualKeyLookupHash,
  virtualKeyWrappingSecret,
} from './virtual-key';
