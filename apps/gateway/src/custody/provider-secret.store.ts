import { Inject, Injectable } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { GrpcCallException } from '@xai/contracts';

import { Caller } from '../auth/caller';
import { TtlCache } from '../cache/ttl-cache';
import { ServiceClients } from '../clients/service-clients';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';

/**
 * The gateway's hot cache of decrypted provider keys (DESIGN.md section 5): a warm key is served
 * from memory with no gRPC call; a cold one is opened by key-vault with a value derived from
 * the caller's virtual key. Entries live at most `XAI_KEY_CACHE_TTL_SECONDS` (≤ 120 minutes)
 * and are dropped as soon as the key changes. Plaintexts are never logged or serialised.
 */
@Injectable()
export class ProviderSecretStore {
  private readonly cache: TtlCache<string, string>;

  constructor(
    private readonly clients: ServiceClients,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.cache = new TtlCache(config.XAI_KEY_CACHE_TTL_SECONDS * 1000, 100_000);
  }

  /** The plaintext of a provider key, for one upstream call. */
  async secretFor(caller: Caller, providerKeyId: string, requestId: string): Promise<string> {
    const cached = this.cache.get(providerKeyId);
    if (cached !== undefined) return cached;

    const secret = await this.open(caller, providerKeyId, requestId);
    this.cache.set(providerKeyId, secret, caller.tenantId);

    return secret;
  }

  /**
   * The plaintext only if it is in memory now; never opens a key. For work done without a
   * caller (half-open probes), which has no credential to open one with.
   */
  cached(providerKeyId: string): string | undefined {
    return this.cache.get(providerKeyId);
  }

  /** Puts a plaintext the caller just stored, so its first use needs no decrypt. */
  remember(tenantId: string, providerKeyId: string, secret: string): void {
    this.cache.set(providerKeyId, secret, tenantId);
  }

  /** Drops one key's plaintext. */
  forgetKey(providerKeyId: string): void {
    this.cache.delete(providerKeyId);
  }

  /** Drops every plaintext of a tenant. */
  forgetTenant(tenantId: string): void {
    this.cache.deleteGroup(tenantId);
  }

  /** Drops every plaintext. */
  forgetAll(): void {
    this.cache.clear();
  }

  private async open(caller: Caller, providerKeyId: string, requestId: string): Promise<string> {
    try {
      const { secretKey } = await this.clients.keyVault.call('decryptProviderKey', {
        tenantId: caller.tenantId,
        providerKeyId,
        credential: { slotId: caller.virtualKeyId, wrappingSecret: caller.wrappingSecret },
        requestId,
      });

      return secretKey;
    } catch (error) {
      throw new GatewayException(GatewayErrorCode.KeyUnavailable, keyFailure(error), {
        cause: error,
      });
    }
  }
}

const KEY_FAILURES: Partial<Record<status, string>> = {
  [status.NOT_FOUND]: 'The provider key has no stored secret.',
  [status.PERMISSION_DENIED]: "This virtual key cannot open the tenant's provider keys.",
  [status.DATA_LOSS]: 'The stored provider key failed its integrity check.',
};

function keyFailure(error: unknown): string {
  if (!(error instanceof GrpcCallException)) return 'The provider key could not be opened.';

  return KEY_FAILURES[error.code] ?? 'The key vault is unavailable.';
}
