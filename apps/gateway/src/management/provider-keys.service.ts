import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { ProviderKey } from '@xai/contracts';
import type { JsonValue } from '@xai/events';
import { inferProviderType } from '@xai/providers';

import { ManagementAudit, providerKeyState } from '../audit/management-audit';
import { Caller } from '../auth/caller';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { ConfigChangeListener } from '../routing/config-change.listener';
import { KeyedLock } from './keyed-lock';
import { ProviderKeyCustody } from './provider-key-custody';
import { assertSameDestination, checkProvider, secretTarget } from './provider-key-destination';
import { ReplicaLock } from './replica-lock';
import { CreateProviderKeyBody, UpdateProviderKeyBody, secretHint } from './dto/provider-key.dto';

/**
 * Provider-key management (`/x-keys`). The secret goes to key-vault, the metadata to config;
 * each change is ordered and compensated so that a failure leaves no half-written key.
 */
@Injectable()
export class ProviderKeysService {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly clients: ServiceClients,
    private readonly secrets: ProviderSecretStore,
    private readonly custody: ProviderKeyCustody,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly audit: ManagementAudit,
    private readonly changes: ConfigChangeListener,
    private readonly replicas: ReplicaLock,
  ) {}

  /** Stores a new key: secret first, then metadata; the secret is destroyed if that fails. */
  async create(caller: Caller, body: CreateProviderKeyBody): Promise<ProviderKey> {
    const provider = await checkProvider(body.Provider, this.allowPrivate);
    const id = randomUUID();
    const providerType = body.Config?.provider_type ?? inferProviderType(provider);
    const target = { id, baseUrl: provider, providerType, settings: body.Config ?? {} };
    const { slotExpiresAt } = await this.custody.seal(caller, target, body.SecretKey);
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
      await this.custody.destroyQuietly(caller, id);
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
      body.Provider === undefined
        ? undefined
        : await checkProvider(body.Provider, this.allowPrivate);
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
        : await this.custody.replace(caller, { id, recorded, target }, body.SecretKey, requestId);
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
      if (recorded && replaced) await this.custody.restore(caller, recorded, replaced);
      throw fromGrpcError(error, 'update the provider key');
    }
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
    await this.custody.destroyQuietly(caller, id);
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

  /** Whether a key's `Provider` may be a private address. */
  private get allowPrivate(): boolean {
    return this.config.XAI_ALLOW_PRIVATE_UPSTREAMS;
  }
}
