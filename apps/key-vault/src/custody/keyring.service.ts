import { Injectable } from '@nestjs/common';
import { generateAeadKey } from '@xai/crypto';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { CREDENTIAL_REJECTED, DataKey, EnvelopeCipher } from './envelope.cipher';
import { KeyringRepository } from './keyring.repository';
import { TenantCredential } from './tenant-credential';

/** The DEK version a new keyring starts at. */
export const FIRST_DEK_VERSION = 1;

/** The provider key a new keyring is created for. */
export interface FirstProviderKey {
  providerKeyId: string;
  secretKey: string;
}

/**
 * A tenant's keyring: creates it with its DEK and first slot, and opens the DEK for a
 * credential. The DEK is only ever lent to a callback and wiped from memory afterwards.
 */
@Injectable()
export class KeyringService {
  constructor(
    private readonly keyrings: KeyringRepository,
    private readonly cipher: EnvelopeCipher,
  ) {}

  /** Whether the tenant has a keyring yet. */
  async exists(tenantId: string): Promise<boolean> {
    return this.keyrings.exists(tenantId);
  }

  /**
   * Opens the tenant's DEK with `credential` and lends it to `use`.
   *
   * @throws KeyVaultException `CREDENTIAL_REJECTED` when the credential has no slot or its
   * secret does not open it, `SLOT_CORRUPTED` when the slot does not authenticate.
   */
  async withDataKey<T>(
    tenantId: string,
    credential: TenantCredential,
    use: (dek: DataKey) => Promise<T>,
  ): Promise<T> {
    const slot = await this.keyrings.findSlot(tenantId, credential.slotId);
    if (!slot) {
      throw new KeyVaultException(KeyVaultErrorCode.CredentialRejected, CREDENTIAL_REJECTED);
    }

    const address = { tenantId, slotId: credential.slotId };
    const dek = this.cipher.openSlot(address, credential.wrappingSecret, slot);

    return lend(dek, use);
  }

  /**
   * Creates the tenant's keyring: a fresh random DEK sealed into the credential's slot, stored
   * in one transaction with the first provider key sealed under it. Resolves the DEK version, or
   * `undefined` when the tenant already has a keyring (then nothing was written).
   */
  async create(
    tenantId: string,
    credential: TenantCredential,
    first: FirstProviderKey,
  ): Promise<number | undefined> {
    const dek = { version: FIRST_DEK_VERSION, key: generateAeadKey() };

    return lend(dek, async () => {
      const slot = this.cipher.sealSlot(
        { tenantId, slotId: credential.slotId },
        credential.wrappingSecret,
        dek,
      );
      const ciphertext = this.cipher.sealProviderKey(
        { tenantId, providerKeyId: first.providerKeyId },
        dek,
        first.secretKey,
      );
      const created = await this.keyrings.create({
        tenantId,
        dekVersion: dek.version,
        slot: { tenantId, slotId: credential.slotId, ...slot },
        ciphertext: {
          tenantId,
          providerKeyId: first.providerKeyId,
          dekVersion: dek.version,
          ciphertext,
        },
      });

      return created ? dek.version : undefined;
    });
  }
}

async function lend<T>(dek: DataKey, use: (dek: DataKey) => Promise<T>): Promise<T> {
  try {
    return await use(dek);
  } finally {
    dek.key.fill(0);
  }
}
