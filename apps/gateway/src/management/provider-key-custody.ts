import { Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { status } from '@grpc/grpc-js';
import { GrpcCallException, ProviderKey } from '@xai/contracts';

import { Caller, credentialOf } from '../auth/caller';
import { ServiceClients, fromGrpcError } from '../clients/service-clients';
import { ProviderSecretStore, SecretTarget, destinationOf } from '../custody/provider-secret.store';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';
import { toRoutableKey } from '../routing/tenant-routing';

/** A secret replacement: the secret it replaced (if it opened) and the revision it wrote. */
export interface SecretReplacement {
  previous?: string;
  sealed: string;
}

/**
 * A provider key's secret in key-vault, for `/x-keys`: sealed for where the key is sent,
 * replaced with a compare-and-set on its ciphertext's revision, sealed back after a failed
 * update, destroyed with the key.
 */
@Injectable()
export class ProviderKeyCustody {
  private readonly logger = new AppLogger(ProviderKeyCustody.name);

  constructor(
    private readonly clients: ServiceClients,
    private readonly secrets: ProviderSecretStore,
  ) {}

  /**
   * Seals `secret` for `key`, only over the ciphertext at `expectedRevision` when one is given
   * (`conflict` otherwise); resolves the new ciphertext's revision, and when the caller's slot
   * stops opening (key-vault's word; empty when it does not expire).
   */
  async seal(
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

  /**
   * Reseals a key's secret with a compare-and-set on its ciphertext's revision (`conflict` when
   * another request changed it since); resolves what a failed update needs to seal back.
   */
  async replace(
    caller: Caller,
    key: { id: string; recorded?: ProviderKey; target?: SecretTarget },
    secret: string,
    requestId: string,
  ): Promise<SecretReplacement> {
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
  async restore(caller: Caller, recorded: ProviderKey, replaced: SecretReplacement): Promise<void> {
    if (replaced.previous === undefined || !replaced.sealed) return;

    const key = toRoutableKey(recorded);
    await this.seal(caller, key, replaced.previous, replaced.sealed).catch(() => undefined);
  }

  /** Destroys the key's ciphertext; a failure is logged, not thrown (the janitor finishes it). */
  async destroyQuietly(caller: Caller, id: string): Promise<void> {
    try {
      await this.clients.keyVault.call('destroyProviderKey', {
        tenantId: caller.tenantId,
        providerKeyId: id,
        credential: credentialOf(caller),
      });
    } catch (error) {
      // The custody janitor destroys it once it is older than its grace period.
      this.logger.error('provider key ciphertext not destroyed', {
        requestId: caller.requestId,
        providerKeyId: id,
        error: error instanceof Error ? error.message : String(error),
      });
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
          requestId,
          providerKeyId: recorded.id,
        });

        return undefined;
      }
      throw error;
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
