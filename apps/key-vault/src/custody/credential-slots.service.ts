import { Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';

import { KekService } from '../kek/kek.service';
import { DestructionRequest, DestructionResult, KeyringRepository } from './keyring.repository';
import { KeyringService } from './keyring.service';
import { TenantCredential } from './tenant-credential';

/**
 * The credential side of a keyring: creating it with its first slots, adding and removing
 * slots as virtual keys are issued and revoked, and crypto-shredding a whole tenant. Logs ids
 * only, never a wrapping secret.
 */
@Injectable()
export class CredentialSlotsService {
  private readonly logger = new AppLogger(CredentialSlotsService.name);

  constructor(
    private readonly kek: KekService,
    private readonly keyrings: KeyringService,
    private readonly repository: KeyringRepository,
  ) {}

  /** Creates a keyring opened by each of `credentials`, unless the tenant has one. */
  async createKeyring(
    tenantId: string,
    credentials: readonly TenantCredential[],
  ): Promise<{ created: boolean; dekVersion: number }> {
    this.kek.assertUnsealed();

    const created = await this.keyrings.create(tenantId, credentials);
    const dekVersion = created ?? (await this.repository.dekVersion(tenantId)) ?? 0;
    this.logger.info(created ? 'keyring created' : 'keyring exists already', {
      tenantId,
      slotIds: credentials.map((credential) => credential.slotId),
    });

    return { created: created !== undefined, dekVersion };
  }

  /** Adds a slot for `newCredential`, which `credential` must be able to open. */
  async addSlot(
    tenantId: string,
    credential: TenantCredential,
    newCredential: TenantCredential,
  ): Promise<{ dekVersion: number }> {
    this.kek.assertUnsealed();

    const dekVersion = await this.keyrings.addSlot(tenantId, credential, newCredential);
    this.logger.info('credential slot added', {
      tenantId,
      slotId: newCredential.slotId,
      addedBy: credential.slotId,
    });

    return { dekVersion };
  }

  /**
   * Destroys a slot now, or lets it expire after `graceSeconds`, for a caller whose `credential`
   * (the slot's own or another of the tenant) opens the keyring.
   *
   * @throws KeyVaultException `CREDENTIAL_REJECTED` when `credential` does not open it.
   */
  async removeSlot(
    tenantId: string,
    slotId: string,
    graceSeconds: number,
    credential: TenantCredential,
  ): Promise<{ removed: boolean; expiresAt: string }> {
    this.kek.assertUnsealed();

    if (!(await this.keyrings.authorise(tenantId, credential)))
      return { removed: false, expiresAt: '' };
    const { removed, expiresAt } = await this.keyrings.removeSlot(tenantId, slotId, graceSeconds);
    this.logger.info(expiresAt ? 'credential slot expiring' : 'credential slot destroyed', {
      tenantId,
      slotId,
      removed,
      expiresAt: expiresAt?.toISOString(),
      removedBy: credential.slotId,
    });

    return { removed, expiresAt: expiresAt?.toISOString() ?? '' };
  }

  /**
   * Crypto-shredding: the keyring, its slots and its ciphertexts go, and who asked is kept. Only
   * for a caller whose `credential` opens the keyring; a tenant without one has nothing to go.
   *
   * @throws KeyVaultException `CREDENTIAL_REJECTED` when `credential` does not open it.
   */
  async destroyTenant(
    request: DestructionRequest,
    credential: TenantCredential,
  ): Promise<DestructionResult> {
    this.kek.assertUnsealed();

    if (!(await this.keyrings.authorise(request.tenantId, credential))) {
      return { destroyed: false, slotsDestroyed: 0, ciphertextsDestroyed: 0 };
    }
    const result = await this.repository.destroy(request);
    this.logger.info('tenant keyring destroyed', { ...request, ...result });

    return result;
  }
}
