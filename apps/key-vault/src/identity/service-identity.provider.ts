import { Provider } from '@nestjs/common';
import { SERVICE_IDENTITY, ServiceIdentityOptions } from '@xai/common';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { KEY_VAULT_CONFIG, KeyVaultConfig } from '../key-vault.config';

/** Key-vault's service identity: only the gateway's token opens its gRPC API. */
export const keyVaultServiceIdentity: Provider = {
  provide: SERVICE_IDENTITY,
  inject: [KEY_VAULT_CONFIG],
  useFactory: (config: KeyVaultConfig): ServiceIdentityOptions => ({
    service: 'key-vault',
    token: config.XAI_SERVICE_TOKEN_GATEWAY,
    allowAnyCaller: config.XAI_DEV_ALLOW_ANY_CALLER,
    refuse: (message) => new KeyVaultException(KeyVaultErrorCode.CallerNotAllowed, message),
  }),
};
