import { Inject, Injectable } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { GrpcCallException } from '@xai/contracts';
import { ProviderKeyDestination, providerKeyDestination, sameDestination } from '@xai/providers';

import { Caller } from '../auth/caller';
import { TtlCache } from '../cache/ttl-cache';
import { ServiceClients } from '../clients/service-clients';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { ConfigStreamState } from '../routing/config-stream.state';

/** A provider key as far as opening it goes: its id and where it is sent. */
export interface SecretTarget {
  id: string;
  baseUrl: string;
  providerType: string;
  settings?: Readonly<Record<string, unknown>>;
}

/** A plaintext in memory, the destination it was opened for, and which credentials opened it. */
interface CachedSecret {
  secret: string;
  destination: ProviderKeyDestination;
  /** Slot id → until when (ms) its opening stands: the key's expiry after a rotation. */
  openedBy: Map<string, number>;
}

/**
 * The gateway's hot cache of decrypted provider keys (DESIGN.md section 5): a warm key is served
 * from memory with no gRPC call; a cold one is opened by key-vault with a value derived from
 * the caller's virtual key. Entries live at most `XAI_KEY_CACHE_TTL_SECONDS` (≤ 120 minutes)
 * and are dropped as soon as the key changes. Plaintexts are never logged or serialised.
 *
 * A warm entry serves only a caller whose own credential slot opened it in key-vault (so a
 * record whose slot is gone gets key-vault's refusal, not the plaintext), and only for the
 * destination it was opened for (so a rewritten base URL never gets a cached secret).
 */
@Injectable()
export class ProviderSecretStore {
  private readonly cache: TtlCache<string, CachedSecret>;

  constructor(
    private readonly clients: ServiceClients,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    streamState: ConfigStreamState,
  ) {
    this.cache = new TtlCache(config.XAI_KEY_CACHE_TTL_SECONDS * 1000, 100_000, () =>
      streamState.maxCacheAgeMs(),
    );
  }

  /** The plaintext of a provider key, for one upstream call to `key`'s destination. */
  async secretFor(caller: Caller, key: SecretTarget, requestId: string): Promise<string> {
    const destination = destinationOf(key);
    const cached = this.warm(key.id, destination);
    if (cached && (cached.openedBy.get(caller.virtualKeyId) ?? 0) > Date.now()) {
      return cached.secret;
    }

    const secret = await this.open(caller, key.id, destination, requestId);
    this.remember(caller, key, secret);

    return secret;
  }

  /**
   * The plaintext only if it is in memory now for `key`'s destination; never opens a key. For
   * work done without a caller (half-open probes), which has no credential to open one with.
   */
  cached(key: SecretTarget): string | undefined {
    return this.warm(key.id, destinationOf(key))?.secret;
  }

  /** Puts a plaintext the caller just stored or opened, so its next use needs no decrypt. */
  remember(caller: Caller, key: SecretTarget, secret: string): void {
    const destination = destinationOf(key);
    const current = this.warm(key.id, destination);
    const openedBy = current?.secret === secret ? current.openedBy : new Map<string, number>();
    openedBy.set(caller.virtualKeyId, caller.expiresAt ?? Number.POSITIVE_INFINITY);
    this.cache.set(key.id, { secret, destination, openedBy }, caller.tenantId);
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

  private warm(providerKeyId: string, destination: ProviderKeyDestination) {
    const entry = this.cache.get(providerKeyId);

    return entry && sameDestination(entry.destination, destination) ? entry : undefined;
  }

  private async open(
    caller: Caller,
    providerKeyId: string,
    destination: ProviderKeyDestination,
    requestId: string,
  ): Promise<string> {
    try {
      const { secretKey } = await this.clients.keyVault.call('decryptProviderKey', {
        tenantId: caller.tenantId,
        providerKeyId,
        credential: { slotId: caller.virtualKeyId, wrappingSecret: caller.wrappingSecret },
        requestId,
        destination,
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
  [status.DATA_LOSS]:
    'The stored provider key failed its integrity check, or its provider URL or type changed ' +
    'since it was stored.',
  [status.FAILED_PRECONDITION]:
    'The stored provider key cannot be opened as stored: store its SecretKey again ' +
    '(PUT /x-keys/:id).',
};

/** Where `key` sends its secret, as key-vault binds it. */
export function destinationOf(key: SecretTarget): ProviderKeyDestination {
  return providerKeyDestination(key.baseUrl, key.providerType, key.settings ?? {});
}

function keyFailure(error: unknown): string {
  if (!(error instanceof GrpcCallException)) return 'The provider key could not be opened.';

  return KEY_FAILURES[error.code] ?? 'The key vault is unavailable.';
}
