import { Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import type { Destination } from '@xai/contracts';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { KeyUse, KeyUseEmitter } from '../events/key-use.emitter';
import { KekService } from '../kek/kek.service';
import { KeyVaultMetrics } from '../telemetry/key-vault-metrics';
import {
  CIPHERTEXT_CORRUPTED,
  DataKey,
  EnvelopeCipher,
  ProviderKeyAddress,
} from './envelope.cipher';
import { ProviderKeyCiphertextRow } from './keyring.repository';
import { KeyringService } from './keyring.service';
import {
  ProviderKeyCiphertextRepository,
  ciphertextRevision,
} from './provider-key-ciphertext.repository';
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
  /** Where the key will be sent; bound into its ciphertext. */
  destination: Destination;
  /** Compare-and-set: replace only a ciphertext still at this revision; empty: always. */
  expectedRevision?: string;
}

/** What decrypting a provider key needs. */
export interface DecryptProviderKeyInput extends ProviderKeyRef {
  credential: TenantCredential;
  requestId: string;
  /** Where the caller will send the key; it opens only for the destination it was sealed for. */
  destination: Destination;
}

/**
 * Seals, opens and destroys provider keys, reporting each use as a key-use event (refusals
 * included). Logs ids only: never a secret, a wrapping secret or a key.
 */
@Injectable()
export class ProviderKeyService {
  private readonly logger = new AppLogger(ProviderKeyService.name);

  constructor(
    private readonly kek: KekService,
    private readonly keyrings: KeyringService,
    private readonly ciphertexts: ProviderKeyCiphertextRepository,
    private readonly cipher: EnvelopeCipher,
    private readonly keyUses: KeyUseEmitter,
    private readonly metrics: KeyVaultMetrics,
  ) {}

  /**
   * Seals a provider key under its tenant's DEK, replacing any earlier ciphertext. A tenant
   * without a keyring gets one, opened by the caller's credential.
   */
  async encrypt(
    input: EncryptProviderKeyInput,
  ): Promise<{ dekVersion: number; revision: string; slotExpiresAt: string }> {
    const { tenantId, providerKeyId, credential } = input;
    const use: KeyUse = {
      tenantId,
      providerKeyId,
      operation: 'encrypt',
      requestId: null,
      slotId: credential.slotId,
      outcome: 'ok',
    };
    const { dekVersion, keyringCreated, revision, slotExpiresAt } = await this.audited(
      use,
      'provider key not sealed',
      () => this.seal(input),
    );
    this.logger.info('provider key sealed', {
      tenantId,
      providerKeyId,
      dekVersion,
      keyringCreated,
    });

    return { dekVersion, revision, slotExpiresAt };
  }

  /** The revision of a provider key's stored ciphertext; empty when none is stored. */
  async revision({ tenantId, providerKeyId }: ProviderKeyRef): Promise<{ revision: string }> {
    this.kek.assertUnsealed();

    return { revision: (await this.ciphertexts.revision(tenantId, providerKeyId)) ?? '' };
  }

  /**
   * Opens a provider key for one upstream request. The credential is checked before the key is
   * looked up, so a caller without one learns nothing about which keys exist.
   */
  async decrypt(
    input: DecryptProviderKeyInput,
  ): Promise<{ secretKey: string; slotExpiresAt: string }> {
    const { tenantId, providerKeyId, credential, requestId, destination } = input;
    const use: KeyUse = {
      tenantId,
      providerKeyId,
      operation: 'decrypt',
      requestId: requestId === '' ? null : requestId,
      slotId: credential.slotId,
      outcome: 'ok',
    };
    const opened = await this.audited(use, 'provider key not opened', async () => {
      // The ciphertext is read with the slot (one query on the cold-key path); it is used only
      // once the caller's credential has opened the slot.
      const { slot, ciphertext } = await this.keyrings.findSlotAndCiphertext(
        tenantId,
        credential.slotId,
        providerKeyId,
      );

      return this.keyrings.withOpenedSlot(
        tenantId,
        credential,
        slot,
        async (dek, slotExpiresAt) => ({
          secretKey: this.open({ tenantId, providerKeyId, destination }, dek, ciphertext),
          slotExpiresAt: slotExpiresAt?.toISOString() ?? '',
        }),
      );
    });
    this.logger.info('provider key opened', { tenantId, providerKeyId, slotId: use.slotId });

    return opened;
  }

  /**
   * Destroys a provider key's ciphertext for a caller whose credential opens the tenant's
   * keyring; `destroyed` says whether one existed.
   */
  async destroy({
    tenantId,
    providerKeyId,
    credential,
  }: ProviderKeyRef & { credential: TenantCredential }): Promise<{ destroyed: boolean }> {
    const use: KeyUse = {
      tenantId,
      providerKeyId,
      operation: 'destroy',
      requestId: null,
      slotId: credential.slotId,
      outcome: 'ok',
    };
    const destroyed = await this.audited(use, 'provider key not destroyed', async () => {
      const authorised = await this.keyrings.authorise(tenantId, credential);

      return authorised && this.ciphertexts.delete(tenantId, providerKeyId);
    });
    this.logger.info('provider key destroyed', { tenantId, providerKeyId, destroyed });

    return { destroyed };
  }

  private async seal(
    input: EncryptProviderKeyInput,
  ): Promise<SealOutcome & { keyringCreated: boolean }> {
    const { tenantId, credential } = input;
    const created = (await this.keyrings.exists(tenantId))
      ? undefined
      : await this.keyrings.create(tenantId, [credential], input);
    // `undefined` also when a concurrent request created the keyring first: then open theirs.
    if (created !== undefined) {
      return { dekVersion: created, keyringCreated: true, revision: '', slotExpiresAt: '' };
    }

    return { ...(await this.replace(input)), keyringCreated: false };
  }

  /**
   * Runs `run` unsealed and emits its key-use event, `denied` or `error` when key-vault refuses
   * (then `message` is logged with the ids and the code).
   */
  private async audited<T>(use: KeyUse, message: string, run: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    try {
      this.kek.assertUnsealed();
      const result = await run();
      this.keyUses.emit(use);
      this.metrics.record(use.operation, 'ok', startedAt);

      return result;
    } catch (error) {
      const code = error instanceof KeyVaultException ? error.code : KeyVaultErrorCode.Internal;
      const outcome = DENIALS.has(code) ? 'denied' : 'error';
      this.keyUses.emit({ ...use, outcome });
      this.metrics.record(use.operation, outcome, startedAt);
      this.logger.warn(message, {
        tenantId: use.tenantId,
        providerKeyId: use.providerKeyId,
        slotId: use.slotId,
        code,
      });
      throw error;
    }
  }

  private open(
    ref: ProviderKeyAddress,
    dek: DataKey,
    row: ProviderKeyCiphertextRow | null,
  ): string {
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

  private async replace(input: EncryptProviderKeyInput): Promise<SealOutcome> {
    const { tenantId, providerKeyId, credential, secretKey, destination } = input;

    return this.keyrings.withDataKey(tenantId, credential, async (dek, slotExpiresAt) => {
      const address = { tenantId, providerKeyId, destination };
      const ciphertext = this.cipher.sealProviderKey(address, dek, secretKey);
      const row = { tenantId, providerKeyId, dekVersion: dek.version, ciphertext };
      if (!input.expectedRevision) await this.ciphertexts.save(row);
      else if (!(await this.ciphertexts.replaceIfRevision(row, input.expectedRevision))) {
        throw new KeyVaultException(
          KeyVaultErrorCode.RevisionMismatch,
          'the provider key was changed by another request since it was read',
        );
      }

      return {
        dekVersion: dek.version,
        revision: ciphertextRevision(ciphertext),
        slotExpiresAt: slotExpiresAt?.toISOString() ?? '',
      };
    });
  }
}

/** What sealing a key wrote, and until when the caller's slot opens (ISO 8601, empty: always). */
interface SealOutcome {
  dekVersion: number;
  revision: string;
  slotExpiresAt: string;
}

/** Refusals of the caller's credential, as opposed to failures of the stored data or service. */
const DENIALS: ReadonlySet<KeyVaultErrorCode> = new Set([
  KeyVaultErrorCode.CredentialRejected,
  KeyVaultErrorCode.CallerNotAllowed,
  KeyVaultErrorCode.InvalidArgument,
]);
