import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { status } from '@grpc/grpc-js';
import { GrpcCallException, ProviderKey } from '@xai/contracts';
import type { JsonValue } from '@xai/events';
import { assertUpstreamAllowed, inferProviderType, sameDestination } from '@xai/providers';

import { ManagementAudit, providerKeyState } from '../audit/management-audit';
import { Caller, credentialOf } from '../auth/caller';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { ProviderSecretStore, SecretTarget, destinationOf } from '../custody/provider-secret.store';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { ConfigChangeListener } from '../routing/config-change.listener';
import { toRoutableKey } from '../routing/tenant-routing';
import { KeyedLock } from './keyed-lock';
import { ReplicaLock } from './replica-lock';
import { CreateProviderKeyBody, UpdateProviderKeyBody, secretHint } from './dto/provider-key.dto';

/** A secret replacement: the secret it replaced (if it opened) and the revision it wrote. */
interface Replacement {
  previous?: string;
  sealed: string;
}

/**
 * Provider-key management (`/x-keys`). The secret goes to key-vault, the metadata to config;
 * each change is ordered and compensated so that a failure leaves no half-written key.
 */
@Injectable()
export class ProviderKeysService {
  private readonly logger = new AppLogger(ProviderKeysService.name);
  private readonly lock = new KeyedLock();

  constructor(
    private readonly clients: ServiceClients,
    private readonly secrets: ProviderSecretStore,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly audit: ManagementAudit,
    private readonly changes: ConfigChangeListener,
    private readonly replicas: ReplicaLock,
  ) {}

  /** Stores a new key: secret first, then metadata; the secret is destroyed if that fails. */
  async create(caller: Caller, body: CreateProviderKeyBody): Promise<ProviderKey> {
    const provider = await this.checkProvider(body.Provider);
    const id = randomUUID();
    const providerType = body.Config?.provider_type ?? inferProviderType(provider);
    const target = { id, baseUrl: provider, providerType, settings: body.Config ?? {} };
    const { slotExpiresAt } = await this.seal(caller, target, body.SecretKey);
    try {
      const { providerKey } = await this.clients.config.call('createProviderKey', {
        tenantId: caller.tenantId,
        id,
        name: body.Name,
        level: body.Level,
        provider,
        status: body.Status,
        providerType,
        configJson: JSON.stringify(body.Config ?? {}),
        secretHint: secretHint(body.SecretKey),
      });
      this.secrets.remember(caller, target, body.SecretKey, slotExpiresAt);
      this.audit.record(caller, {
        resource: 'provider_key',
        resourceId: id,
        action: 'create',
        before: null,
        after: providerKeyState(providerKey),
      });

      return providerKey;
    } catch (error) {
      await this.destroyQuietly(caller, id);
      throw fromGrpcError(error, 'save the provider key');
    }
  }

  /** The tenant's keys, without secrets. */
  async list(caller: Caller): Promise<ProviderKey[]> {
    try {
      const { providerKeys } = await this.clients.config.call('listProviderKeys', {
        tenantId: caller.tenantId,
      });

      return providerKeys;
    } catch (error) {
      throw fromGrpcError(error, 'list the provider keys');
    }
  }

  /**
   * Changes a key. A new secret replaces the ciphertext first; if the metadata update then
   * fails, the previous secret is sealed back. The ciphertext is bound to where the key is sent,
   * so a change of destination (URL, provider type, deployment settings) needs the secret too.
   * Changes to one key run one after another, in this process and across replicas (a lock in
   * Redis), so the secret in key-vault and the hint in config always come from the same change.
   * Behind the lock, a compare-and-set on the ciphertext's revision in key-vault refuses a lost
   * update with `conflict` (409) when the lock could not be had (Redis down), and a failed
   * update seals the previous secret back only over its own write.
   */
  async update(
    caller: Caller,
    id: string,
    body: UpdateProviderKeyBody,
    requestId: string,
  ): Promise<ProviderKey> {
    return this.serialised(id, () => this.updateNow(caller, id, body, requestId));
  }

  /** Changes to one key run one at a time: in this process, then across replicas. */
  private serialised<T>(id: string, task: () => Promise<T>): Promise<T> {
    return this.lock.run(id, () => this.replicas.run(`provider-key:${id}`, task));
  }

  private async updateNow(
    caller: Caller,
    id: string,
    body: UpdateProviderKeyBody,
    requestId: string,
  ): Promise<ProviderKey> {
    const provider =
      body.Provider === undefined ? undefined : await this.checkProvider(body.Provider);
    const providerType =
      body.Config?.provider_type ?? (provider ? inferProviderType(provider) : undefined);
    const configJson = body.Config === undefined ? undefined : JSON.stringify(body.Config);
    const recorded = await this.recordedKey(caller, id);
    const before = providerKeyState(recorded);
    const target = recorded && secretTarget(recorded, { provider, providerType, configJson });
    if (recorded && target && body.SecretKey === undefined) assertSameDestination(recorded, target);
    const replaced =
      body.SecretKey === undefined
        ? undefined
        : await this.replaceSecret(caller, { id, recorded, target }, body.SecretKey, requestId);
    try {
      const { providerKey } = await this.clients.config.call('updateProviderKey', {
        tenantId: caller.tenantId,
        id,
        name: body.Name,
        level: body.Level,
        provider,
        status: body.Status,
        providerType,
        configJson,
        secretHint: body.SecretKey === undefined ? undefined : secretHint(body.SecretKey),
      });
      this.changes.applyLocally(caller.tenantId, id);
      this.audit.record(caller, {
        resource: 'provider_key',
        resourceId: id,
        action: 'update',
        before,
        after: providerKeyState(providerKey),
      });

      return providerKey;
    } catch (error) {
      if (recorded && replaced) await this.restore(caller, recorded, replaced);
      throw fromGrpcError(error, 'update the provider key');
    }
  }

  /**
   * Reseals a key's secret with a compare-and-set on its ciphertext's revision (`conflict` when
   * another request changed it since); resolves what a failed update needs to seal back.
   */
  private async replaceSecret(
    caller: Caller,
    key: { id: string; recorded?: ProviderKey; target?: SecretTarget },
    secret: string,
    requestId: string,
  ): Promise<Replacement> {
    // The revision first, then the secret opened afresh: a change landing in between makes the
    // compare-and-set fail, so `previous` is never older than what it replaces.
    const revision = await this.revisionOf(caller, key.id);
    this.secrets.forgetKey(key.id);
    const previous = await this.currentSecret(caller, key.recorded, requestId);
    const sealed = key.target
      ? (await this.seal(caller, key.target, secret, revision)).revision
      : '';

    return { previous, sealed };
  }

  /** Seals the previous secret back, only over this request's own write: a newer one stands. */
  private async restore(
    caller: Caller,
    recorded: ProviderKey,
    replaced: Replacement,
  ): Promise<void> {
    if (replaced.previous === undefined || !replaced.sealed) return;

    const key = toRoutableKey(recorded);
    await this.seal(caller, key, replaced.previous, replaced.sealed).catch(() => undefined);
  }

  /** Deletes a key: metadata first (no call routes to it any more), then its ciphertext. */
  async remove(caller: Caller, id: string): Promise<void> {
    return this.serialised(id, () => this.removeNow(caller, id));
  }

  private async removeNow(caller: Caller, id: string): Promise<void> {
    const before = await this.recordedState(caller, id);
    try {
      await this.clients.config.call('deleteProviderKey', { tenantId: caller.tenantId, id });
    } catch (error) {
      throw fromGrpcError(error, 'delete the provider key');
    }
    this.changes.applyLocally(caller.tenantId, id);
    await this.destroyQuietly(caller, id);
    this.audit.record(caller, {
      resource: 'provider_key',
      resourceId: id,
      action: 'delete',
      before,
      after: null,
    });
  }

  /** A key's metadata for the audit trail (null when it cannot be read); never its secret. */
  private async recordedState(caller: Caller, id: string): Promise<JsonValue | null> {
    return providerKeyState(await this.recordedKey(caller, id));
  }

  /** The tenant's record of key `id`, if it can be read. */
  private async recordedKey(caller: Caller, id: string): Promise<ProviderKey | undefined> {
    const keys = await this.list(caller).catch(() => []);

    return keys.find((key) => key.id === id);
  }

  private async checkProvider(url: string): Promise<string> {
    try {
      await assertUpstreamAllowed(url, { allowPrivate: this.config.XAI_ALLOW_PRIVATE_UPSTREAMS });
    } catch (error) {
      throw new GatewayException(
        GatewayErrorCode.UpstreamRefused,
        error instanceof Error ? error.message : 'The provider URL is not allowed.',
        { param: 'Provider', cause: error },
      );
    }

    return url.replace(/\/+$/, '');
  }

  /**
   * The key's current secret, to seal back if the update fails; the record proves the key is
   * the tenant's before a reseal. `undefined` when it no longer opens (its stored destination
   * was changed, or it predates destination binding): storing a new secret is then the fix.
   */
  private async currentSecret(
    caller: Caller,
    recorded: ProviderKey | undefined,
    requestId: string,
  ): Promise<string | undefined> {
    if (!recorded) throw notFound();

    try {
      return await this.secrets.secretFor(caller, toRoutableKey(recorded), requestId);
    } catch (error) {
      if (storedSecretUnusable(error)) {
        this.logger.warn('previous provider key not opened; replaced without a fallback', {
          providerKeyId: recorded.id,
        });

        return undefined;
      }
      throw error;
    }
  }

  /**
   * Seals `secret` for `key`, only over the ciphertext at `expectedRevision` when one is given
   * (`conflict` otherwise); resolves the new ciphertext's revision, and when the caller's slot
   * stops opening (key-vault's word; empty when it does not expire).
   */
  private async seal(
    caller: Caller,
    key: SecretTarget,
    secret: string,
    expectedRevision?: string,
  ): Promise<{ revision: string; slotExpiresAt?: string }> {
    try {
      const { revision, slotExpiresAt } = await this.clients.keyVault.call('encryptProviderKey', {
        tenantId: caller.tenantId,
        providerKeyId: key.id,
        secretKey: secret,
        credential: { slotId: caller.virtualKeyId, wrappingSecret: caller.wrappingSecret },
        destination: destinationOf(key),
        expectedRevision,
      });

      return { revision: revision ?? '', slotExpiresAt };
    } catch (error) {
      throw fromGrpcError(error, 'store the provider key');
    }
  }

  /** The revision of the key's stored ciphertext (empty when none is stored). */
  private async revisionOf(caller: Caller, id: string): Promise<string> {
    try {
      const { revision } = await this.clients.keyVault.call('getProviderKeyRevision', {
        tenantId: caller.tenantId,
        providerKeyId: id,
      });

      return revision;
    } catch (error) {
      throw fromGrpcError(error, 'read the provider key');
    }
  }

  private async destroyQuietly(caller: Caller, id: string): Promise<void> {
    try {
      await this.clients.keyVault.call('destroyProviderKey', {
        tenantId: caller.tenantId,
        providerKeyId: id,
        credential: credentialOf(caller),
      });
    } catch (error) {
      // The custody janitor destroys it once it is older than its grace period.
      this.logger.error('provider key ciphertext not destroyed', {
        providerKeyId: id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function notFound(): GatewayException {
  return new GatewayException(GatewayErrorCode.NotFound, 'No such provider key.');
}

/** Whether opening failed on the stored ciphertext itself (altered, moved, or unbound). */
function storedSecretUnusable(error: unknown): boolean {
  const cause = error instanceof GatewayException ? error.cause : undefined;

  return (
    cause instanceof GrpcCallException &&
    (cause.code === status.DATA_LOSS || cause.code === status.FAILED_PRECONDITION)
  );
}

/** The key as it will be after an update of the given destination fields. */
function secretTarget(
  recorded: ProviderKey,
  change: { provider?: string; providerType?: string; configJson?: string },
): SecretTarget {
  return toRoutableKey({
    ...recorded,
    provider: change.provider ?? recorded.provider,
    providerType: change.providerType ?? recorded.providerType,
    configJson: change.configJson ?? recorded.configJson,
  });
}

/** Refuses a destination change without a new secret: the ciphertext is sealed for the old one. */
function assertSameDestination(recorded: ProviderKey, target: SecretTarget): void {
  if (sameDestination(destinationOf(toRoutableKey(recorded)), destinationOf(target))) return;

  throw new GatewayException(
    GatewayErrorCode.InvalidRequest,
    'Changing Provider, provider_type or the deployment settings needs SecretKey in the same ' +
      'request: a provider key is sealed for the place it is sent to.',
    { param: 'SecretKey' },
  );
}
