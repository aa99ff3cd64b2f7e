import { DomainException } from '@xai/common';

import { KeyVaultErrorCode } from './key-vault-error-code';

/**
 * The one exception key-vault's own code throws. Its message goes to the caller as is, so it
 * names ids at most: never a secret, a wrapping secret, a key or a ciphertext.
 */
export class KeyVaultException extends DomainException<KeyVaultErrorCode> {}
