import { Injectable } from '@nestjs/common';
import type { Destination } from '@xai/contracts';
import { generateAeadKey } from '@xai/crypto';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { CREDENTIAL_REJECTED, DataKey, EnvelopeCipher } from './envelope.cipher';
import {
  CredentialSlotRow,
  KeyringRepository,
  OpenableSlot,
  ProviderKeyCiphertextRow,
} from './keyring.repository';
import { TenantCredential } from './tenant-credential';

/** The DEK version a new keyring starts at. */
export const FIRST_DEK_VERSION = 1;

/** The provider key a new keyring is created for. */
export interface FirstProviderKey {
  providerKeyId: string;
  secretKey: string;
  destination: Destination;
}

/**
 * A tenant's keyring: creates it with its DEK and first slots, opens the DEK for a credential,
 * and adds or removes credential slots. The DEK is only ever lent to a callback and wiped from
 * memory afterwards.
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
   * Opens the tenant's DEK with `credential` and lends it to `use`, with when the credential's
   * slot stops opening (`null`: it does not expire).
   *
   * @throws KeyVaultException `CREDENTIAL_REJECTED` when the credential has no live slot or its
   * secret does not open it, `SLOT_CORRUPTED` when the slot does not authenticate.
   */
  async withDataKey<T>(
    tenantId: string,
    credential: TenantCredential,
    use: (dek: DataKey, slotExpiresAt: Date | null) => Promise<T>,
  ): Promise<T> {
    const slot = await this.keyrings.findSlot(tenantId, credential.slotId);

    return this.withOpenedSlot(tenantId, credential, slot, use);
  }

  /** The credential's live slot and a provider key's ciphertext, read in one query. */
  findSlotAndCiphertext(
    tenantId: string,
    slotId: string,
    providerKeyId: string,
  ): Promise<{ slot: OpenableSlot | null; ciphertext: ProviderKeyCiphertextRow | null }> {
    return this.keyrings.findSlotAndCiphertext(tenantId, slotId, providerKeyId);
  }

  /**
   * {@link withDataKey} with the credential's slot already read (`null`: it has none), for a
   * caller that read it together with other rows.
   */
  async withOpenedSlot<T>(
    tenantId: string,
    credential: TenantCredential,
    slot: OpenableSlot | null,
    use: (dek: DataKey, slotExpiresAt: Date | null) => Promise<T>,
  ): Promise<T> {
    if (!slot) {
      throw new KeyVaultException(KeyVaultErrorCode.CredentialRejected, CREDENTIAL_REJECTED);
    }

    const address = { tenantId, slotId: credential.slotId };
    const dek = this.cipher.openSlot(address, credential.wrappingSecret, slot);

    return lend(dek, (opened) => use(opened, slot.expiresAt ?? null));
  }

  /**
   * Checks that `credential` opens the tenant's keyring, for a change that needs a credential
   * but no key material (destroying a ciphertext, a slot or the keyring). Resolves `false`,
   * checking nothing, when the tenant has no keyring: then there is nothing to change.
   *
   * @throws KeyVaultException as {@link withDataKey} when the credential does not open it.
   */
  async authorise(tenantId: string, credential: TenantCredential): Promise<boolean> {
    if (!(await this.keyrings.exists(tenantId))) return false;

    return this.withDataKey(tenantId, credential, async () => true);
  }

  /**
   * Creates the tenant's keyring: a fresh random DEK sealed into one slot per credential, and
   * optionally the first provider key sealed under it, in one transaction. Resolves the DEK
   * version, or `undefined` when the tenant already has a keyring (then nothing was written).
   */
  async create(
    tenantId: string,
    credentials: readonly TenantCredential[],
    first?: FirstProviderKey,
  ): Promise<number | undefined> {
    const dek = { version: FIRST_DEK_VERSION, key: generateAeadKey() };

    return lend(dek, async () => {
      const slots = credentials.map((credential) => this.slotRow(tenantId, credential, dek));
      const ciphertext = first && {
        tenantId,
        providerKeyId: first.providerKeyId,
        dekVersion: dek.version,
        ciphertext: this.cipher.sealProviderKey(
          { tenantId, providerKeyId: first.providerKeyId, destination: first.destination },
          dek,
          first.secretKey,
        ),
      };
      const created = await this.keyrings.create({
        tenantId,
        dekVersion: dek.version,
        slots,
        ciphertext,
      });

      return created ? dek.version : undefined;
    });
  }

  /**
   * Seals the DEK, opened by `credential`, into a new slot for `newCredential`.
   *
   * @throws KeyVaultException `CREDENTIAL_REJECTED` when `credential` does not open the
   * keyring, `SLOT_EXISTS` when the new slot id is taken.
   */
  async addSlot(
    tenantId: string,
    credential: TenantCredential,
    newCredential: TenantCredential,
  ): Promise<number> {
    return this.withDataKey(tenantId, credential, async (dek) => {
      const added = await this.keyrings.insertSlot(this.slotRow(tenantId, newCredential, dek));
      if (!added) {
        throw new KeyVaultException(KeyVaultErrorCode.SlotExists, 'the slot id is already in use');
      }

      return dek.version;
    });
  }

  /**
   * Destroys a slot now (`graceSeconds` 0) or lets it expire after the grace period. Resolves
   * whether it existed, and when it stops opening.
   */
  async removeSlot(
    tenantId: string,
    slotId: string,
    graceSeconds: number,
  ): Promise<{ removed: boolean; expiresAt?: Date }> {
    if (graceSeconds === 0) return { removed: await this.keyrings.deleteSlot(tenantId, slotId) };

    const expiresAt = new Date(Date.now() + graceSeconds * 1000);

    return { removed: await this.keyrings.expireSlot(tenantId, slotId, expiresAt), expiresAt };
  }

  private slotRow(tenantId: string, credential: TenantCredential, dek: DataKey): CredentialSlotRow {
    const address = { tenantId, slotId: credential.slotId };

    return { ...address, ...this.cipher.sealSlot(address, credential.wrappingSecret, dek) };
  }
}

async function lend<T>(dek: DataKey, use: (dek: DataKey) => Promise<T>): Promise<T> {
  try {
    return await use(dek);
  } finally {
    dek.key.fill(0);
  }
}
