import { readFileSync } from 'node:fs';

import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { CryptoException, KeyRing, parseKeyRing } from '@xai/crypto';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { KEY_VAULT_CONFIG, KeyVaultConfig } from '../key-vault.config';

/**
 * Whether key-vault holds a usable KEK: `ok`; `verifying` while it is checked against the
 * database; or sealed because it is `missing`, `invalid` (does not parse) or `wrong` (does not
 * match what the data was sealed under, or a version the data uses is not loaded).
 */
export type KekStatus = 'ok' | 'verifying' | 'missing' | 'invalid' | 'wrong';

/** Where the KEK comes from: exactly one of the two settings. */
export type KekSource = Partial<Pick<KeyVaultConfig, 'XAI_KEK' | 'XAI_KEK_FILE'>>;

interface LoadedKek {
  status: KekStatus;
  ring?: KeyRing;
  problem?: string;
}

/**
 * Holds the KEK key ring, the one secret no other process has. Parsed once at boot, then
 * verified against the database (see `KekVerifier`); until it is verified, or when it is
 * missing, does not parse or is wrong, key-vault stays sealed: not ready, and every request
 * refused, until it is restarted with a good KEK.
 */
@Injectable()
export class KekService {
  private readonly logger = new AppLogger(KekService.name);
  private loaded: LoadedKek;

  constructor(@Inject(KEY_VAULT_CONFIG) source: KekSource) {
    this.loaded = loadKek(source);
    if (this.loaded.ring) {
      this.logger.info('KEK loaded; verifying it', { versions: this.loaded.ring.versions });
    } else {
      this.logger.warn('key-vault is sealed', {
        kekStatus: this.loaded.status,
        reason: this.loaded.problem,
      });
    }
  }

  /** `ok` when a verified KEK is loaded, else why key-vault is sealed. */
  get status(): KekStatus {
    return this.loaded.status;
  }

  /** The parsed key ring before it is verified; only the verifier uses it. */
  get unverifiedRing(): KeyRing | undefined {
    return this.loaded.status === 'wrong' ? undefined : this.loaded.ring;
  }

  /** Unseals: the ring matched everything the database holds. */
  markVerified(): void {
    const ring = this.loaded.ring;
    if (!ring || this.loaded.status !== 'verifying') return;
    this.loaded = { status: 'ok', ring };
    this.logger.info('KEK verified; key-vault is unsealed', { versions: ring.versions });
  }

  /** Stays sealed for good: the ring does not match the database. `problem` names no key. */
  markWrong(problem: string): void {
    this.loaded = { status: 'wrong', problem };
    this.logger.error('key-vault is sealed: the KEK does not match the stored data', {
      kekStatus: 'wrong',
      reason: problem,
    });
  }

  /**
   * Refuses to go on while sealed.
   *
   * @throws KeyVaultException `SEALED` when no verified KEK is loaded.
   */
  assertUnsealed(): void {
    this.keyRing();
  }

  /**
   * The KEK key ring; new seals use its newest version.
   *
   * @throws KeyVaultException `SEALED` when no verified KEK is loaded.
   */
  keyRing(): KeyRing {
    if (this.loaded.status !== 'ok' || !this.loaded.ring) {
      throw new KeyVaultException(KeyVaultErrorCode.Sealed, 'key-vault is sealed');
    }

    return this.loaded.ring;
  }
}

function loadKek({ XAI_KEK: inline, XAI_KEK_FILE: file }: KekSource): LoadedKek {
  if (inline !== undefined && file !== undefined) {
    return { status: 'invalid', problem: 'set only one of XAI_KEK and XAI_KEK_FILE' };
  }
  if (file !== undefined) return parse(() => readFileSync(file, 'utf8'));
  if (inline !== undefined) return parse(() => inline);

  return { status: 'missing', problem: 'neither XAI_KEK nor XAI_KEK_FILE is set' };
}

function parse(read: () => string): LoadedKek {
  let text: string;
  try {
    text = read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';

    return { status: 'invalid', problem: `XAI_KEK_FILE cannot be read (${code})` };
  }
  try {
    return { status: 'verifying', ring: parseKeyRing(text) };
  } catch (error) {
    // parseKeyRing's messages name the faulty entry but never contain key material.
    if (error instanceof CryptoException) return { status: 'invalid', problem: error.message };
    throw error;
  }
}
