import { Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { virtualKeyWrappingSecret } from '@xai/crypto';

import { ServiceClients } from '../clients/service-clients';
import { CredentialIssuer } from './credential-issuer';

const RECOVERY_CODE_NAME = 'recovery code';

/**
 * Creates a new tenant's keyring in key-vault (DESIGN.md section 5): a fresh DEK sealed into
 * the owner key's slot and into the slot of a recovery code made here. Idempotent: when the
 * tenant has a keyring already, nothing is written and no code is made.
 */
@Injectable()
export class TenantKeyring {
  private readonly logger = new AppLogger(TenantKeyring.name);

  constructor(
    private readonly clients: ServiceClients,
    private readonly issuer: CredentialIssuer,
  ) {}

  /**
   * Ensures the tenant has a keyring opened by `ownerKey` (whose record id is `ownerKeyId`).
   * Resolves the recovery code to show once when this call created the keyring, else
   * `undefined`.
   */
  async ensure(
    tenantId: string,
    ownerKeyId: string,
    ownerKey: string,
  ): Promise<string | undefined> {
    const recovery = this.issuer.prepare('VIRTUAL_KEY_ROLE_RECOVERY');
    const { created } = await this.clients.keyVault.call('createKeyring', {
      tenantId,
      credentials: [
        { slotId: ownerKeyId, wrappingSecret: virtualKeyWrappingSecret(ownerKey) },
        recovery.slot,
      ],
    });
    if (!created) return undefined;

    try {
      await this.issuer.record(tenantId, recovery, {
        role: 'VIRTUAL_KEY_ROLE_RECOVERY',
        name: RECOVERY_CODE_NAME,
      });
    } catch (error) {
      this.logger.error('recovery code not recorded; create one with POST /x-recovery-code', {
        tenantId,
        error: error instanceof Error ? error.message : String(error),
      });

      return undefined;
    }
    this.logger.info('tenant keyring created with a recovery code', { tenantId });

    return recovery.secret;
  }
}
