import { serviceIdentityProvider } from '@xai/common';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { KEY_VAULT_CONFIG } from '../key-vault.config';

/** Key-vault's service identity: only the gateway's token opens its gRPC API. */
export const keyVaultServiceIdentity = serviceIdentityProvider(
  KEY_VAULT_CONFIG,
  'key-vault',
  (message) => new KeyVaultException(KeyVaultErrorCode.CallerNotAllowed, message),
);
