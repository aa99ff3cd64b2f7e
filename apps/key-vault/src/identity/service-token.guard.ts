import { createHash, timingSafeEqual } from 'node:crypto';

import type { Metadata } from '@grpc/grpc-js';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AppLogger, ConfigValidationException } from '@xai/common';
import { SERVICE_TOKEN_METADATA_KEY } from '@xai/contracts';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { KEY_VAULT_CONFIG, KeyVaultConfig } from '../key-vault.config';

/** The settings the guard reads. */
export type ServiceIdentityConfig = Pick<
  KeyVaultConfig,
  'XAI_SERVICE_TOKEN_GATEWAY' | 'XAI_DEV_ALLOW_ANY_CALLER'
>;

/**
 * Service identity: only the gateway may call key-vault. The gateway proves it with a shared
 * token in the `x-xai-service-token` gRPC metadata; any other caller gets PERMISSION_DENIED.
 * Without a token key-vault refuses to start, unless development mode explicitly allows any
 * caller (then it warns at boot).
 */
@Injectable()
export class ServiceTokenGuard implements CanActivate {
  private readonly logger = new AppLogger(ServiceTokenGuard.name);
  private readonly expectedDigest?: Buffer;

  constructor(@Inject(KEY_VAULT_CONFIG) config: ServiceIdentityConfig) {
    const token = config.XAI_SERVICE_TOKEN_GATEWAY;
    if (token !== undefined) {
      this.expectedDigest = digest(token);
    } else if (config.XAI_DEV_ALLOW_ANY_CALLER) {
      this.logger.warn('XAI_DEV_ALLOW_ANY_CALLER: any process that reaches key-vault may call it');
    } else {
      throw new ConfigValidationException([
        'XAI_SERVICE_TOKEN_GATEWAY: required (or XAI_DEV_ALLOW_ANY_CALLER=true in development)',
      ]);
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expectedDigest) return true;

    const metadata = context.switchToRpc().getContext<Metadata>();
    const presented = metadata.get(SERVICE_TOKEN_METADATA_KEY)[0];
    // Digests of equal length, so the comparison time says nothing about the token.
    if (typeof presented === 'string' && timingSafeEqual(digest(presented), this.expectedDigest)) {
      return true;
    }
    this.logger.warn('caller refused: no valid service token', {
      method: context.getHandler().name,
      tokenPresented: presented !== undefined,
    });

    throw new KeyVaultException(
      KeyVaultErrorCode.CallerNotAllowed,
      'only the gateway may call key-vault',
    );
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
