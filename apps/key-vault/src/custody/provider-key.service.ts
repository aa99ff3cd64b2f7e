import { Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { KekService } from '../kek/kek.service';
import { CIPHERTEXT_CORRUPTED, DataKey, EnvelopeCipher } from './envelope.cipher';
import { KeyringService } from './keyring.service';
import { ProviderKeyCiphertextRepository } from './provider-key-ciphertext.repository';
import { TenantCredential } from './tenant-credential';

/** Which provider key of which tenant. */
export interface ProviderKeyRef {
  tenantId: string;
  providerKeyId: string;
}

/** What encrypting a provider key needs. */
export interface EncryptProviderKeyInput extends ProviderKeyRef {
  secretKey: string;
  credential: TenantCredential;
}

/** What decrypting a provider key needs. */
export interface DecryptProviderKeyInput extends ProviderKeyRef {
  credential: TenantCredential;
  requestId: string;
}

/**
 * Seals, opens and destroys provider keys. Logs ids only: never a secret, a wrapping secret or
 * a key.
 */
@Injectable()
export class ProviderKeyService {
  private readonly logger = new AppLogger(ProviderKeyService.name);

  constructor(
    private readonly kek: KekService,
    private readonly keyrings: KeyringService,
    private readonly ciphertexts: ProviderKeyCiphertextRepository,
    private readonly cipher: EnvelopeCipher,
  ) {}

  /**
   * Seals a provider key under its tenant's DEK, replacing any earlier ciphertext. A tenant
   * without a keyring gets one, opened by the caller's credential.
   */
  async encrypt(input: EncryptProviderKeyInput): Promise<{ dekVersion: number }> {
    this.kek.assertUnsealed();

    const { tenantId, providerKeyId, credential } = input;
    const ids = { tenantId, providerKeyId, slotId: credential.slotId };
    const { dekVersion, keyringCreated } = await this.logRefusal(
      'provider key not sealed',
      ids,
      () => this.seal(input),
    );
    this.logger.info('provider key sealed', { ...ids, dekVersion, keyringCreated });

    return { dekVersion };
  }

  /**
   * Opens a provider key for one upstream request. The credential is checked before the key is
   * looked up, so a caller without one learns nothing about which keys exist.
   */
  async decrypt(input: DecryptProviderKeyInput): Promise<{ secretKey: string }> {
    this.kek.assertUnsealed();

    const { tenantId, providerKeyId, credential, requestId } = input;
    const ids = { tenantId, providerKeyId, slotId: credential.slotId, requestId };
    const secretKey = await this.logRefusal('provider key not opened', ids, () =>
      this.keyrings.withDataKey(tenantId, credential, (dek) =>
        this.open({ tenantId, providerKeyId }, dek),
      ),
    );
    // TODO(#6): publish a key-use event to the audit stream instead of only logging it.
    this.logger.info('provider key opened', ids);

    return { secretKey };
  }

  /** Destroys a provider key's ciphertext; `destroyed` says whether one existed. */
  async destroy({ tenantId, providerKeyId }: ProviderKeyRef): Promise<{ destroyed: boolean }> {
    this.kek.assertUnsealed();

    const destroyed = await this.ciphertexts.delete(tenantId, providerKeyId);
    this.logger.info('provider key destroyed', { tenantId, providerKeyId, destroyed });

    return { destroyed };
  }

  private async seal(
    input: EncryptProviderKeyInput,
  ): Promise<{ dekVersion: number; keyringCreated: boolean }> {
    const { tenantId, credential } = input;
    const created = (await this.keyrings.exists(tenantId))
      ? undefined
      : await this.keyrings.create(tenantId, credential, input);
    // `undefined` also when a concurrent request created the keyring first: then open theirs.
    if (created !== undefined) return { dekVersion: created, keyringCreated: true };

    return { dekVersion: await this.replace(input), keyringCreated: false };
  }

  /** Runs `run`, logging `message` with ids and the code when key-vault refuses it. */
  private async logRefusal<T>(
    message: string,
    ids: Record<string, string>,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof KeyVaultException) {
        this.logger.warn(message, { ...ids, code: error.code });
      }
      throw error;
    }
  }

  private async open(ref: ProviderKeyRef, dek: DataKey): Promise<string> {
    const row = await this.ciphertexts.find(ref.tenantId, ref.providerKeyId);
    if (!row) {
      throw new KeyVaultException(
        KeyVaultErrorCode.ProviderKeyNotFound,
        'no ciphertext is stored for this provider key',
      );
    }
    // A tenant has a single DEK version so far, so a row naming another one was altered.
    if (row.dekVersion !== dek.version) {
      throw new KeyVaultException(KeyVaultErrorCode.CiphertextCorrupted, CIPHERTEXT_CORRUPTED);
    }

    return this.cipher.openProviderKey(ref, dek, row.ciphertext);
  }

  private async replace(input: EncryptProviderKeyInput): Promise<number> {
    const { tenantId, providerKeyId, credential, secretKey } = input;

    return this.keyrings.withDataKey(tenantId, credential, async (dek) => {
      const ciphertext = this.cipher.sealProviderKey({ tenantId, providerKeyId }, dek, secretKey);
      await this.ciphertexts.save({ tenantId, providerKeyId, dekVersion: dek.version, ciphertext });

      return dek.version;
    });
  }
}
