import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { ProviderKey } from '@xai/contracts';
import type { JsonValue } from '@xai/events';
import { assertUpstreamAllowed, inferProviderType } from '@xai/providers';

import { ManagementAudit, providerKeyState } from '../audit/management-audit';
import { Caller } from '../auth/caller';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { KeyedLock } from './keyed-lock';
import { CreateProviderKeyBody, UpdateProviderKeyBody, secretHint } from './dto/provider-key.dto';

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
  ) {}

  /** Stores a new key: secret first, then metadata; the secret is destroyed if that fails. */
  async create(caller: Caller, body: CreateProviderKeyBody): Promise<ProviderKey> {
    const provider = await this.checkProvider(body.Provider);
    const id = randomUUID();
    await this.seal(caller, id, body.SecretKey);
    try {
      const { providerKey } = await this.clients.config.call('createProviderKey', {
        tenantId: caller.tenantId,
        id,
        name: body.Name,
        level: body.Level,
        provider,
        status: body.Status,
        providerType: body.Config?.provider_type ?? inferProviderType(provider),
        configJson: JSON.stringify(body.Config ?? {}),
        secretHint: secretHint(body.SecretKey),
      });
      this.secrets.remember(caller.tenantId, id, body.SecretKey);
      this.audit.record(caller, {
        resource: 'provider_key',
        resourceId: id,
        action: 'create',
        before: null,
        after: providerKeyState(providerKey),
      });

      return providerKey;
    } catch (error) {
      await this.destroyQuietly(caller.tenantId, id);
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
   * fails, the previous secret is sealed back.
   */
  async update(
    caller: Caller,
    id: string,
    body: UpdateProviderKeyBody,
    requestId: string,
  ): Promise<ProviderKey> {
    // TODO(#3): serialise across gateway replicas too (a version check in key-vault).
    return this.lock.run(id, () => this.updateNow(caller, id, body, requestId));
  }

  private async updateNow(
    caller: Caller,
    id: string,
    body: UpdateProviderKeyBody,
    requestId: string,
  ): Promise<ProviderKey> {
    const provider =
      body.Provider === undefined ? undefined : await this.checkProvider(body.Provider);
    const before = await this.recordedState(caller, id);
    const previous =
      body.SecretKey === undefined ? undefined : await this.currentSecret(caller, id, requestId);
    if (body.SecretKey !== undefined) await this.seal(caller, id, body.SecretKey);
    try {
      const { providerKey } = await this.clients.config.call('updateProviderKey', {
        tenantId: caller.tenantId,
        id,
        name: body.Name,
        level: body.Level,
        provider,
        status: body.Status,
        providerType:
          body.Config?.provider_type ?? (provider ? inferProviderType(provider) : undefined),
        configJson: body.Config === undefined ? undefined : JSON.stringify(body.Config),
        secretHint: body.SecretKey === undefined ? undefined : secretHint(body.SecretKey),
      });
      this.secrets.forgetKey(id);
      this.audit.record(caller, {
        resource: 'provider_key',
        resourceId: id,
        action: 'update',
        before,
        after: providerKeyState(providerKey),
      });

      return providerKey;
    } catch (error) {
      if (previous !== undefined) await this.seal(caller, id, previous).catch(() => undefined);
      throw fromGrpcError(error, 'update the provider key');
    }
  }

  /** Deletes a key: metadata first (no call routes to it any more), then its ciphertext. */
  async remove(caller: Caller, id: string): Promise<void> {
    return this.lock.run(id, () => this.removeNow(caller, id));
  }

  private async removeNow(caller: Caller, id: string): Promise<void> {
    const before = await this.recordedState(caller, id);
    try {
      await this.clients.config.call('deleteProviderKey', { tenantId: caller.tenantId, id });
    } catch (error) {
      throw fromGrpcError(error, 'delete the provider key');
    }
    this.secrets.forgetKey(id);
    await this.destroyQuietly(caller.tenantId, id);
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
    const keys = await this.list(caller).catch(() => []);

    return providerKeyState(keys.find((key) => key.id === id));
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

  /** The key's current secret, which also proves the key is the tenant's before a reseal. */
  private async currentSecret(caller: Caller, id: string, requestId: string): Promise<string> {
    const keys = await this.list(caller);
    if (!keys.some((key) => key.id === id)) throw notFound(id);

    return this.secrets.secretFor(caller, id, requestId);
  }

  private async seal(caller: Caller, id: string, secret: string): Promise<void> {
    try {
      await this.clients.keyVault.call('encryptProviderKey', {
        tenantId: caller.tenantId,
        providerKeyId: id,
        secretKey: secret,
        credential: { slotId: caller.virtualKeyId, wrappingSecret: caller.wrappingSecret },
      });
    } catch (error) {
      throw fromGrpcError(error, 'store the provider key');
    }
  }

  private async destroyQuietly(tenantId: string, id: string): Promise<void> {
    try {
      await this.clients.keyVault.call('destroyProviderKey', { tenantId, providerKeyId: id });
    } catch (error) {
      // TODO(#3): a janitor that destroys ciphertexts whose metadata is gone.
      this.logger.error('provider key ciphertext not destroyed', {
        providerKeyId: id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function notFound(id: string): GatewayException {
  return new GatewayException(GatewayErrorCode.NotFound, `No provider key with id "${id}".`);
}
