import { Injectable } from '@nestjs/common';
import type { Destination } from '@xai/contracts';
import {
  CryptoErrorCode,
  CryptoException,
  deriveKey,
  encodeAssociatedData,
  openAead,
  sealAead,
} from '@xai/crypto';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { KekService } from '../kek/kek.service';

// One label per use, so no seal or derived key made for one purpose is accepted for another.
const SLOT_OUTER_LABEL = 'xai/key-vault/credential-slot/outer/v1';
const SLOT_INNER_LABEL = 'xai/key-vault/credential-slot/inner/v1';
const SLOT_KEY_LABEL = 'xai/key-vault/credential-slot/key/v1';
// v2 binds the destination too; v1 (no destination) is only recognised, to be refused.
const PROVIDER_KEY_LABEL = 'xai/key-vault/provider-key/v2';
const PROVIDER_KEY_LABEL_V1 = 'xai/key-vault/provider-key/v1';

/** The caller-facing message when a credential cannot open a keyring, whatever the reason. */
export const CREDENTIAL_REJECTED = "credential cannot open this tenant's keyring";

/**
 * The caller-facing message when a stored credential slot does not authenticate. Every slot
 * failure's message starts with "credential slot" (the gateway words its answer by it).
 */
const SLOT_CORRUPTED = 'credential slot failed authentication';

/**
 * The caller-facing message when a stored provider-key ciphertext does not authenticate: it was
 * altered, moved, or is opened for another destination than it was sealed for.
 */
export const CIPHERTEXT_CORRUPTED = 'provider key ciphertext failed authentication';

/** The caller-facing message for a ciphertext sealed before destinations were bound. */
const CIPHERTEXT_UNBOUND =
  'provider key was sealed without its destination: store its secret again to use it';

/** A tenant's data key in the clear, with its version. Wipe `key` once done with it. */
export interface DataKey {
  version: number;
  key: Buffer;
}

/** Which slot of which tenant. */
export interface SlotAddress {
  tenantId: string;
  slotId: string;
}

/** A DEK sealed for one credential, as stored. */
export interface SealedSlot {
  dekVersion: number;
  kekVersion: number;
  sealed: Buffer;
}

/** Which provider key of which tenant, and where it is sent. */
export interface ProviderKeyAddress {
  tenantId: string;
  providerKeyId: string;
  destination: Destination;
}

/**
 * The envelope: provider keys sealed under the tenant's DEK, and the DEK sealed twice per
 * credential slot, inside under a key derived from the credential's wrapping secret and outside
 * under the newest KEK. Every seal's associated data names the row it belongs to, so a value
 * moved to another row, tenant or slot does not open.
 */
@Injectable()
export class EnvelopeCipher {
  constructor(private readonly kek: KekService) {}

  /** Seals `dek` into a new slot for the credential with `wrappingSecret`. */
  sealSlot(address: SlotAddress, wrappingSecret: Buffer, dek: DataKey): SealedSlot {
    const ring = this.kek.keyRing();
    const kekVersion = ring.newestVersion;
    const inner = sealAead(
      slotKey(address, wrappingSecret),
      dek.key,
      slotInnerData(address, dek.version),
    );
    const outerData = slotOuterData(address, kekVersion, dek.version);
    const sealed = sealAead(ring.key(kekVersion), inner, outerData);

    return { dekVersion: dek.version, kekVersion, sealed };
  }

  /**
   * Opens a slot's DEK with the credential's wrapping secret.
   *
   * @throws KeyVaultException `SLOT_CORRUPTED` when the outer seal does not authenticate (the
   * row was altered or moved), `CREDENTIAL_REJECTED` when the secret does not open the inner
   * one, `KEK_VERSION_UNAVAILABLE` when the slot's KEK version is not loaded.
   */
  openSlot(address: SlotAddress, wrappingSecret: Buffer, slot: SealedSlot): DataKey {
    const kek = this.kek.keyRing();
    const outerData = slotOuterData(address, slot.kekVersion, slot.dekVersion);
    const inner = guard(KeyVaultErrorCode.SlotCorrupted, SLOT_CORRUPTED, () =>
      openAead(kek.key(slot.kekVersion), slot.sealed, outerData),
    );
    const key = guard(KeyVaultErrorCode.CredentialRejected, CREDENTIAL_REJECTED, () =>
      openAead(slotKey(address, wrappingSecret), inner, slotInnerData(address, slot.dekVersion)),
    );

    return { version: slot.dekVersion, key };
  }

  /**
   * Rewraps a slot's outer seal under `targetVersion` (default: the newest KEK version; the
   * caller checks it is loaded), leaving the inner seal (and so
   * the credential it needs) as it is. No credential is needed: this is what the KEK rotation
   * job does.
   *
   * @throws KeyVaultException `SLOT_CORRUPTED` when the outer seal does not authenticate,
   * `KEK_VERSION_UNAVAILABLE` when the slot's KEK version is not loaded.
   */
  rewrapSlot(address: SlotAddress, slot: SealedSlot, targetVersion?: number): SealedSlot {
    const ring = this.kek.keyRing();
    const kekVersion = targetVersion ?? ring.newestVersion;
    const inner = guard(KeyVaultErrorCode.SlotCorrupted, SLOT_CORRUPTED, () =>
      openAead(
        ring.key(slot.kekVersion),
        slot.sealed,
        slotOuterData(address, slot.kekVersion, slot.dekVersion),
      ),
    );
    const outerData = slotOuterData(address, kekVersion, slot.dekVersion);

    return {
      dekVersion: slot.dekVersion,
      kekVersion,
      sealed: sealAead(ring.key(kekVersion), inner, outerData),
    };
  }

  /** Seals a provider key's plaintext under `dek`. */
  sealProviderKey(address: ProviderKeyAddress, dek: DataKey, secret: string): Buffer {
    return sealAead(dek.key, Buffer.from(secret, 'utf8'), providerKeyData(address, dek.version));
  }

  /**
   * Opens a provider key's ciphertext with `dek`, for the destination in `address` only.
   *
   * @throws KeyVaultException `CIPHERTEXT_CORRUPTED` when it does not authenticate (altered,
   * moved, or sealed for another destination), `CIPHERTEXT_UNBOUND` when it was sealed by an
   * earlier version that bound no destination (refused: its destination cannot be trusted).
   */
  openProviderKey(address: ProviderKeyAddress, dek: DataKey, ciphertext: Buffer): string {
    try {
      return openAead(dek.key, ciphertext, providerKeyData(address, dek.version)).toString('utf8');
    } catch (error) {
      if (!(error instanceof CryptoException)) throw error;
      if (opensUnbound(address, dek, ciphertext)) {
        throw new KeyVaultException(KeyVaultErrorCode.CiphertextUnbound, CIPHERTEXT_UNBOUND);
      }
      throw new KeyVaultException(KeyVaultErrorCode.CiphertextCorrupted, CIPHERTEXT_CORRUPTED, {
        cause: error,
      });
    }
  }
}

/**
 * Whether `kek` opens the outer seal of a stored slot. Used at boot to tell a wrong KEK from a
 * right one when its version has no check value yet; it opens nothing a credential protects.
 */
export function opensOuterSeal(kek: Buffer, slot: SlotAddress & SealedSlot): boolean {
  try {
    openAead(kek, slot.sealed, slotOuterData(slot, slot.kekVersion, slot.dekVersion));

    return true;
  } catch (error) {
    if (error instanceof CryptoException) return false;
    throw error;
  }
}

function slotKey({ tenantId, slotId }: SlotAddress, wrappingSecret: Buffer): Buffer {
  return deriveKey(wrappingSecret, SLOT_KEY_LABEL, [tenantId, slotId]);
}

function slotInnerData({ tenantId, slotId }: SlotAddress, dekVersion: number): Buffer {
  return encodeAssociatedData(SLOT_INNER_LABEL, [tenantId, slotId, dekVersion]);
}

// The outer seal also names the DEK version, so every column of a slot row is authenticated
// under the KEK and an altered row reads as corrupted rather than as a wrong credential.
function slotOuterData(
  { tenantId, slotId }: SlotAddress,
  kekVersion: number,
  dekVersion: number,
): Buffer {
  return encodeAssociatedData(SLOT_OUTER_LABEL, [tenantId, slotId, kekVersion, dekVersion]);
}

// Fixed layout: ids, DEK version, URL, type, then the count of settings and each setting's name
// and value as two fields, each length-prefixed, so no name or value can borrow from the other.
function providerKeyData(
  { tenantId, providerKeyId, destination }: ProviderKeyAddress,
  dekVersion: number,
): Buffer {
  const { baseUrl, providerType, settings } = destination;

  return encodeAssociatedData(PROVIDER_KEY_LABEL, [
    ...[tenantId, providerKeyId, dekVersion, baseUrl, providerType],
    ...[settings.length, ...settings.flatMap(({ name, value }) => [name, value])],
  ]);
}

/** Whether a ciphertext is one sealed under the v1 layout, which bound no destination. */
function opensUnbound(
  { tenantId, providerKeyId }: ProviderKeyAddress,
  dek: DataKey,
  ciphertext: Buffer,
): boolean {
  const legacyData = encodeAssociatedData(PROVIDER_KEY_LABEL_V1, [
    tenantId,
    providerKeyId,
    dek.version,
  ]);
  try {
    openAead(dek.key, ciphertext, legacyData).fill(0);

    return true;
  } catch (error) {
    if (error instanceof CryptoException) return false;
    throw error;
  }
}

/** Runs a crypto step, turning its failures into the key-vault error that fits the step. */
function guard<T>(code: KeyVaultErrorCode, message: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof CryptoException)) throw error;
    if (error.code === CryptoErrorCode.UnknownKeyVersion) {
      // Starts like SLOT_CORRUPTED, so the gateway tells slot problems from ciphertext ones.
      throw new KeyVaultException(
        KeyVaultErrorCode.KekVersionUnavailable,
        `credential slot cannot be opened here: ${error.message}`,
      );
    }
    throw new KeyVaultException(code, message, { cause: error });
  }
}
