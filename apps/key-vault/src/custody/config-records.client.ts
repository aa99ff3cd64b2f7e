import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import {
  ConfigMethods,
  GrpcCallException,
  GrpcClient,
  SERVICE_TOKEN_METADATA_KEY,
} from '@xai/contracts';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { KEY_VAULT_CONFIG, KeyVaultConfig } from '../key-vault.config';

/**
 * What config, the source of truth for provider keys and virtual keys, names for a tenant. The
 * custody purge asks it itself rather than trusting its caller, so a holder of the service
 * token cannot have a live ciphertext or slot destroyed by calling it an orphan.
 */
@Injectable()
export class ConfigRecordsClient implements OnModuleDestroy {
  private readonly client: GrpcClient<ConfigMethods>;

  constructor(@Inject(KEY_VAULT_CONFIG) config: KeyVaultConfig) {
    const token = config.XAI_SERVICE_TOKEN_GATEWAY;
    this.client = new GrpcClient('config', config.XAI_CONFIG_URL, {
      metadata: token === undefined ? undefined : { [SERVICE_TOKEN_METADATA_KEY]: token },
    });
  }

  onModuleDestroy(): void {
    this.client.close();
  }

  /**
   * The ids config names for the tenant (provider keys, live virtual keys and recovery codes),
   * empty when config has no such tenant.
   *
   * @throws KeyVaultException `CONFIG_UNAVAILABLE` when config does not answer.
   */
  async namedBy(tenantId: string): Promise<Set<string>> {
    try {
      const [{ providerKeys }, { virtualKeys }] = await Promise.all([
        this.client.call('listProviderKeys', { tenantId }),
        this.client.call('listVirtualKeys', { tenantId }),
      ]);

      return new Set([...providerKeys, ...virtualKeys].map((record) => record.id));
    } catch (error) {
      if (error instanceof GrpcCallException && error.code === status.NOT_FOUND) return new Set();
      throw new KeyVaultException(
        KeyVaultErrorCode.ConfigUnavailable,
        'config did not say which records it names; nothing was purged',
        { cause: error },
      );
    }
  }
}
