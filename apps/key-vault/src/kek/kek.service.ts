import { readFileSync } from 'node:fs';

import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@xai/common';
import { CryptoException, KeyRing, parseKeyRing } from '@xai/crypto';

import { KeyVaultErrorCode } from '../errors/key-vault-error-code';
import { KeyVaultException } from '../errors/key-vault.exception';
import { KEY_VAULT_CONFIG, KeyVaultConfig } from '../key-vault.config';

/** Whether key-vault holds a usable KEK: `ok`, or sealed because it is `missing` or `invalid`. */
export type KekStatus = 'ok' | 'missing' | 'invalid';

/** Where the KEK comes from: exactly one of the two settings. */
export type KekSource = Partial<Pick<KeyVaultConfig, 'XAI_KEK' | 'XAI_KEK_FILE'>>;

interface LoadedKek {
  status: KekStatus;
  ring?: KeyRing;
  problem?: string;
}

/**
 * Holds the KEK key ring, the one secret no other process has. Loaded once at boot; when it is
 * missing or does not parse, key-vault still starts but stays sealed: not ready, and every
 * request refused, until it is restarted with a good KEK.
 */
@Injectable()
export class KekService {
  private readonly logger = new AppLogger(KekService.name);
  private readonly loaded: LoadedKek;

  constructor(@Inject(KEY_VAULT_CONFIG) source: KekSource) {
    this.loaded = loadKek(source);
    if (this.loaded.ring) {
      this.logger.info('KEK loaded', { versions: this.loaded.ring.versions });
    } else {
      this.logger.warn('key-vault is sealed', {
        kekStatus: this.loaded.status,
        reason: this.loaded.problem,
      });
    }
  }

  /** `ok` when a KEK is loaded, else why key-vault is sealed. */
  get status(): KekStatus {
    return this.loaded.status;
  }

  /**
   * Refuses to go on while sealed.
   *
   * @throws KeyVaultException `SEALED` when no usable KEK was given.
   */
  assertUnsealed(): void {
    this.keyRing();
  }

  /**
   * The KEK key ring; new seals use its newest version.
   *
   * @throws KeyVaultException `SEALED` when no usable KEK was given.
   */
  keyRing(): KeyRing {
    if (!this.loaded.ring) {
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
    return { status: 'ok', ring: parseKeyRing(text) };
  } catch (error) {
    // parseKeyRing's messages name the faulty entry but never contain key material.
    if (error instanceof CryptoException) return { status: 'invalid', problem: error.message };
    throw error;
  }
}
