import { Inject, Injectable } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { GrpcCallException } from '@xai/contracts';
import { VirtualKey } from '@xai/contracts';
import {
  RECOVERY_CODE_PREFIX,
  isWellFormedRecoveryCode,
  isWellFormedVirtualKey,
  recoveryCodeWrappingSecret,
  virtualKeyLookupHash,
  virtualKeyWrappingSecret,
} from '@xai/crypto';

import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { Caller, isRecovery } from './caller';
import { TtlCache } from '../cache/ttl-cache';
import { ConfigStreamState } from '../routing/config-stream.state';

const VIRTUAL_KEY_PREFIX = 'xai-';
const MIN_OPERATOR_KEY_LENGTH = 32;
/** Lookup hashes remembered by presented key; the map starts over when full. */
const MAX_REMEMBERED_HASHES = 10_000;
const MAX_KEY_LENGTH = 256;

/**
 * Turns the presented virtual key into a {@link Caller}. Garbage is rejected without a lookup
 * (prefix and checksum); known keys are served from memory by their keyed hash; unknown ones
 * are asked of config once and the answer cached for a bounded time (never past the key's own
 * expiry). Config-change events drop a tenant's entries at once. Recovery codes authenticate
 * only through {@link authenticateRecovery}: everywhere else they are refused like an unknown
 * key.
 */
@Injectable()
export class VirtualKeyAuthenticator {
  private readonly cache: TtlCache<string, Caller>;
  /** Lookup hashes of keys already seen (a pure function of key and pepper; see lookupHashOf). */
  private readonly hashes = new Map<string, string>();

  constructor(
    private readonly clients: ServiceClients,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    streamState: ConfigStreamState,
  ) {
    this.cache = new TtlCache(config.XAI_AUTH_CACHE_TTL_SECONDS * 1000, 100_000, () =>
      streamState.maxCacheAgeMs(),
    );
  }

  /**
   * Reads the key from `Authorization: Bearer …` or `x-api-key`. A client may send both (Claude
   * Code does when both of its settings are set): the one shaped like a virtual key (prefix and
   * checksum) is used; two different well-formed keys are refused, as the router cannot tell
   * which was meant. Otherwise Bearer wins.
   */
  static presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
    const authorization = headers.authorization;
    const bearer =
      typeof authorization === 'string' && /^bearer\s+/i.test(authorization)
        ? authorization.replace(/^bearer\s+/i, '').trim()
        : undefined;
    const apiKey =
      typeof headers['x-api-key'] === 'string' ? headers['x-api-key'].trim() : undefined;
    if (bearer === undefined || apiKey === undefined || bearer === apiKey) return bearer ?? apiKey;

    const [bearerShaped, apiKeyShaped] = [hasKeyShape(bearer), hasKeyShape(apiKey)];
    if (bearerShaped && apiKeyShaped) {
      throw new GatewayException(
        GatewayErrorCode.InvalidApiKey,
        'Two different virtual keys were sent, in "Authorization" and in "x-api-key": send one.',
      );
    }

    return apiKeyShaped ? apiKey : bearer;
  }

  /** Authenticates a presented virtual key, or throws a 401-class {@link GatewayException}. */
  async authenticate(key: string | undefined): Promise<Caller> {
    const caller = await this.lookUp(key);
    if (isRecovery(caller)) throw invalidKey();

    return caller;
  }

  /** Authenticates a presented recovery code, refusing anything else as an invalid key. */
  async authenticateRecovery(code: string | undefined): Promise<Caller> {
    if (code !== undefined && !isWellFormedRecoveryCode(code)) throw invalidKey();
    const caller = await this.lookUp(code);
    if (!isRecovery(caller)) throw invalidKey();

    return caller;
  }

  private async lookUp(key: string | undefined): Promise<Caller> {
    if (!key) {
      throw new GatewayException(
        GatewayErrorCode.MissingApiKey,
        'Missing API key: send your virtual key as "Authorization: Bearer <key>".',
      );
    }
    const hash = this.lookupHashOf(key);
    const cached = this.cache.get(hash);
    if (cached) return cached;

    const caller = await this.resolve(key, hash);
    this.cache.set(hash, caller, caller.tenantId, this.cacheTtlMs(caller));

    return caller;
  }

  /** Drops every cached key of a tenant (after a config change). */
  forgetTenant(tenantId: string): void {
    this.cache.deleteGroup(tenantId);
  }

  /** Drops everything (after a gap in the config-change stream). */
  forgetAll(): void {
    this.cache.clear();
  }

  /** The cache TTL, shortened so a key with a grace period stops working on time. */
  private cacheTtlMs(caller: Caller): number {
    const ttl = this.config.XAI_AUTH_CACHE_TTL_SECONDS * 1000;

    return caller.expiresAt === undefined ? ttl : Math.min(ttl, caller.expiresAt - Date.now());
  }

  /**
   * The key's lookup hash, or `invalid_api_key` for a key of no accepted shape. Both are pure
   * functions of the key (and the pepper), so a key seen before skips the checksum and the
   * HMAC: together most of what authentication costs on a warm call.
   */
  private lookupHashOf(key: string): string {
    const known = this.hashes.get(key);
    if (known !== undefined) return known;
    if (!this.plausible(key)) throw invalidKey();

    const hash = virtualKeyLookupHash(key, this.config.XAI_VIRTUAL_KEY_PEPPER);
    if (this.hashes.size >= MAX_REMEMBERED_HASHES) this.hashes.clear();
    this.hashes.set(key, hash);

    return hash;
  }

  private plausible(key: string): boolean {
    if (key.length > MAX_KEY_LENGTH) return false;
    if (key.startsWith(VIRTUAL_KEY_PREFIX)) return isWellFormedVirtualKey(key);
    if (key.startsWith(RECOVERY_CODE_PREFIX)) return isWellFormedRecoveryCode(key);

    // Operator-supplied bootstrap keys have no checksum; DESIGN.md accepts them from 32 chars.
    return key.length >= MIN_OPERATOR_KEY_LENGTH && /^[\x21-\x7e]+$/.test(key);
  }

  private async resolve(key: string, hash: string): Promise<Caller> {
    try {
      const { virtualKey } = await this.clients.config.call('resolveVirtualKey', {
        virtualKeyHash: hash,
      });

      return callerOf(virtualKey, key);
    } catch (error) {
      if (error instanceof GrpcCallException && error.code === status.NOT_FOUND) {
        throw invalidKey();
      }
      throw fromGrpcError(error, 'check the API key');
    }
  }
}

function callerOf(virtualKey: VirtualKey, key: string): Caller {
  const recovery = virtualKey.role === 'VIRTUAL_KEY_ROLE_RECOVERY';

  return {
    tenantId: virtualKey.tenantId,
    virtualKeyId: virtualKey.id,
    role: virtualKey.role,
    // Recovery codes and virtual keys derive their wrapping secrets under different labels.
    wrappingSecret: recovery ? recoveryCodeWrappingSecret(key) : virtualKeyWrappingSecret(key),
    expiresAt: virtualKey.expiresAt ? Date.parse(virtualKey.expiresAt) : undefined,
    memberId: virtualKey.memberId || undefined,
  };
}

/** Whether a key has the shape (prefix and checksum) of a virtual key or a recovery code. */
function hasKeyShape(key: string): boolean {
  return isWellFormedVirtualKey(key) || isWellFormedRecoveryCode(key);
}

function invalidKey(): GatewayException {
  return new GatewayException(
    GatewayErrorCode.InvalidApiKey,
    'Invalid API key: this virtual key is unknown or revoked.',
  );
}
