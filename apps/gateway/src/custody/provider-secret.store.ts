import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { GrpcCallException } from '@xai/contracts';
import {
  ProviderKeyDestination,
  SecretScrubber,
  providerKeyDestination,
  sameDestination,
  secretScrubber,
} from '@xai/providers';

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
  /**
   * Fingerprint of each credential whose slot opened it (slot id and wrapping secret, see
   * {@link ProviderSecretStore.fingerprint}) → until when (ms) that opening stands: the earlier
   * of the slot's expiry in key-vault and the virtual key's in config.
   * Every way the product removes a slot either changes config too (revocation, rotation, which
   * drop the tenant's entries on every replica) or is known here in advance (a grace period's
   * end is the slot's expiry) or concerns a slot no record names (the janitor). A slot row
   * deleted by hand in key-vault's database alone is not seen until the TTL: that takes
   * nothing from its holder, whose credential still opens what it opened.
   */
  openedBy: Map<string, Opening>;
  /** Made on first use and dropped with the entry: encoding a key a dozen ways is not per-call work. */
  scrubber?: SecretScrubber;
}

/** One credential's opening of a cached plaintext. */
interface Opening {
  fingerprint: Buffer;
  until: number;
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
 *
 * "Whose own credential" is checked by a fingerprint of the credential that opened it, keyed
 * with a secret of this process: the slot id and the wrapping secret derived from the presented
 * virtual key. Config's record (its id, its expiry) comes from a database a writer may alter, so
 * a writer who moves a revoked key's hash onto a live record gets that record's id but not its
 * wrapping secret, and is sent to key-vault, which refuses it. How long an opening stands is
 * key-vault's word on the slot's expiry, not config's alone.
 */
@Injectable()
export class ProviderSecretStore {
  private readonly cache: TtlCache<string, CachedSecret>;

  // Never leaves this process: fingerprints mean nothing elsewhere, and are never stored.
  private readonly fingerprintKey = randomBytes(32);
  private readonly fingerprints = new WeakMap<Caller, Buffer>();

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
    if (cached && this.openedByCaller(cached, caller)) return cached.secret;

    const { secretKey, slotExpiresAt } = await this.open(caller, key.id, destination, requestId);
    this.remember(caller, key, secretKey, slotExpiresAt);

    return secretKey;
  }

  /**
   * A scrubber of `secret` (what an attempt sent `key`'s provider): the one kept with the
   * cached plaintext when that is the secret, so it lives and dies with the cache entry.
   */
  scrubberFor(key: SecretTarget, secret: string): SecretScrubber {
    const entry = this.warm(key.id, destinationOf(key));
    if (entry?.secret !== secret) return secretScrubber([secret]);
    entry.scrubber ??= secretScrubber([secret]);

    return entry.scrubber;
  }

  /**
   * The plaintext only if it is in memory now for `key`'s destination; never opens a key. For
   * work done without a caller (half-open probes), which has no credential to open one with.
   */
  cached(key: SecretTarget): string | undefined {
    return this.warm(key.id, destinationOf(key))?.secret;
  }

  /**
   * Puts a plaintext the caller just stored or opened, so its next use needs no decrypt.
   * `slotExpiresAt` is key-vault's answer (ISO 8601, empty: none) on when the caller's slot stops
   * opening; the caller is served until that or its key's expiry in config, whichever is first.
   */
  remember(caller: Caller, key: SecretTarget, secret: string, slotExpiresAt?: string): void {
    const destination = destinationOf(key);
    const current = this.warm(key.id, destination);
    const openedBy = current?.secret === secret ? current.openedBy : new Map<string, Opening>();
    const slotUntil = slotExpiresAt ? Date.parse(slotExpiresAt) : Number.POSITIVE_INFINITY;
    const until = Math.min(slotUntil, caller.expiresAt ?? Number.POSITIVE_INFINITY);
    openedBy.set(caller.virtualKeyId, { fingerprint: this.fingerprint(caller), until });
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

  /** Whether `caller`'s own credential (not just its record's id) opened `entry`, still. */
  private openedByCaller(entry: CachedSecret, caller: Caller): boolean {
    const opening = entry.openedBy.get(caller.virtualKeyId);
    if (!opening || !(opening.until > Date.now())) return false;

    return timingSafeEqual(opening.fingerprint, this.fingerprint(caller));
  }

  /** Worked out once per caller object (the authenticator's cache keeps it between calls). */
  private fingerprint(caller: Caller): Buffer {
    const known = this.fingerprints.get(caller);
    if (known) return known;
    const fingerprint = createHmac('sha256', this.fingerprintKey)
      .update(caller.virtualKeyId)
      .update('\0')
      .update(caller.wrappingSecret)
      .digest();
    this.fingerprints.set(caller, fingerprint);

    return fingerprint;
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
  ): Promise<{ secretKey: string; slotExpiresAt?: string }> {
    try {
      return await this.clients.keyVault.call('decryptProviderKey', {
        tenantId: caller.tenantId,
        providerKeyId,
        credential: { slotId: caller.virtualKeyId, wrappingSecret: caller.wrappingSecret },
        requestId,
        destination,
      });
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

/** Where `key` sends its secret, as key-vault binds it (worked out once per key record). */
export function destinationOf(key: SecretTarget): ProviderKeyDestination {
  const known = DESTINATIONS.get(key);
  if (known) return known;
  const destination = providerKeyDestination(key.baseUrl, key.providerType, key.settings ?? {});
  DESTINATIONS.set(key, destination);

  return destination;
}

/** Key records are replaced, never changed, when config changes: a record's destination stands. */
const DESTINATIONS = new WeakMap<SecretTarget, ProviderKeyDestination>();

/**
 * A failure of the caller's credential slot (altered, or sealed under a KEK version key-vault
 * does not hold): the provider key is fine, so storing it again would not help.
 */
const SLOT_FAILURE =
  "This virtual key's credential slot cannot be opened by the key vault (it failed its " +
  'integrity check, or its KEK version is not loaded); the stored provider key is not at fault.';

// key-vault words every slot failure starting so (see envelope.cipher.ts in key-vault).
const SLOT_FAILURE_DETAILS = 'credential slot';

function keyFailure(error: unknown): string {
  if (!(error instanceof GrpcCallException)) return 'The provider key could not be opened.';
  const slotStatus = error.code === status.DATA_LOSS || error.code === status.FAILED_PRECONDITION;
  if (slotStatus && error.details.startsWith(SLOT_FAILURE_DETAILS)) return SLOT_FAILURE;

  return KEY_FAILURES[error.code] ?? 'The key vault is unavailable.';
}
