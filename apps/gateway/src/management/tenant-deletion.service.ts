import { Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import type { DeleteTenantResponse, DestroyTenantResponse } from '@xai/contracts';

import { Caller, credentialOf } from '../auth/caller';
import { VirtualKeyAuthenticator } from '../auth/virtual-key.authenticator';
import { CREDENTIAL_ERRORS, ServiceClients, fromGrpcError } from '../clients/service-clients';
import { CustodyAuditEmitter } from '../custody/custody-audit.emitter';
import { ProviderSecretStore } from '../custody/provider-secret.store';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayException } from '../errors/gateway.exception';

/** What deleting a tenant removed. */
export interface TenantDeletion {
  keyring: DestroyTenantResponse;
  config: DeleteTenantResponse;
}

/**
 * Deletes the caller's tenant (DESIGN.md section 5, crypto-shredding): key-vault destroys the
 * keyring, every credential slot and every provider-key ciphertext first, so the secrets are
 * gone even if the rest fails (a retry finishes the job); then config deletes the tenant's
 * rows and tells every gateway. Who asked is recorded by key-vault and on the audit stream.
 */
@Injectable()
export class TenantDeletionService {
  private readonly logger = new AppLogger(TenantDeletionService.name);

  constructor(
    private readonly clients: ServiceClients,
    private readonly audit: CustodyAuditEmitter,
    private readonly secrets: ProviderSecretStore,
    private readonly authenticator: VirtualKeyAuthenticator,
  ) {}

  /** Deletes the tenant once `confirm` repeats its id. */
  async delete(caller: Caller, confirm: string, requestId: string): Promise<TenantDeletion> {
    if (confirm !== caller.tenantId) {
      throw new GatewayException(
        GatewayErrorCode.InvalidRequest,
        `To delete this tenant and everything under it, for good, send {"Confirm": "${caller.tenantId}"}.`,
        { param: 'Confirm' },
      );
    }

    const keyring = await this.destroyKeyring(caller, requestId);
    const config = await this.deleteRecords(caller);
    this.secrets.forgetTenant(caller.tenantId);
    this.authenticator.forgetTenant(caller.tenantId);
    await this.audit.record(caller, requestId, {
      resource: 'tenant_config',
      resourceId: null,
      action: 'delete',
      before: { TenantID: caller.tenantId },
      after: null,
    });
    this.logger.warn('tenant deleted', { tenantId: caller.tenantId, by: caller.virtualKeyId });

    return { keyring, config };
  }

  private async destroyKeyring(caller: Caller, requestId: string): Promise<DestroyTenantResponse> {
    try {
      return await this.clients.keyVault.call('destroyTenant', {
        tenantId: caller.tenantId,
        destroyedBy: caller.virtualKeyId,
        requestId,
        credential: credentialOf(caller),
      });
    } catch (error) {
      throw fromGrpcError(error, "destroy the tenant's keys", CREDENTIAL_ERRORS);
    }
  }

  private async deleteRecords(caller: Caller): Promise<DeleteTenantResponse> {
    try {
      return await this.clients.config.call('deleteTenant', { tenantId: caller.tenantId });
    } catch (error) {
      throw fromGrpcError(error, "delete the tenant's records");
    }
  }
}
