import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { AEAD_KEY_BYTES } from './aead';
import { CryptoErrorCode, CryptoException } from './crypto.exception';

const VERSIONED_ENTRY = /^(\d+):(.*)$/s;
const VERSION = /^[1-9]\d{0,8}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * The versions of a key-encryption key (KEK) a process holds. New seals use the newest
 * version; older ones stay to open what was sealed before a rotation. Never prints its keys:
 * `JSON.stringify` and `util.inspect` show only the version numbers.
 */
export class KeyRing {
  private readonly keys: ReadonlyMap<number, Buffer>;

  /** @throws CryptoException `INVALID_KEY_RING` when empty or a key is not 32 bytes. */
  constructor(keys: ReadonlyMap<number, Uint8Array>) {
    if (keys.size === 0) throw invalid('key ring holds no key');
    for (const [version, key] of keys) {
      if (!Number.isSafeInteger(version) || version < 1) {
        throw invalid(`KEK version ${version} is not a positive integer`);
      }
      if (key.length !== AEAD_KEY_BYTES) {
        throw invalid(`KEK version ${version} is not ${AEAD_KEY_BYTES} bytes`);
      }
    }
    this.keys = new Map([...keys].map(([version, key]) => [version, Buffer.from(key)]));
  }

  /** The version new seals use: the highest one held. */
  get newestVersion(): number {
    return Math.max(...this.keys.keys());
  }

  /** Every version held, lowest first. */
  get versions(): number[] {
    return [...this.keys.keys()].sort((a, b) => a - b);
  }

  /**
   * The key of `version`.
   *
   * @throws CryptoException `UNKNOWN_KEY_VERSION` when the ring does not hold it.
   */
  key(version: number): Buffer {
    const key = this.keys.get(version);
    if (!key) {
      throw new CryptoException(
        CryptoErrorCode.UnknownKeyVersion,
        `KEK version ${version} is not loaded`,
      );
    }

    return key;
  }

  /** The versions only, never the keys. */
  toJSON(): { versions: number[] } {
    return { versions: this.versions };
  }

  /** The versions only, never the keys. */
  toString(): string {
    return `KeyRing { versions: [${this.versions.join(', ')}] }`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Generates a new KEK as the base64 text of 32 random bytes, the format {@link parseKeyRing}
 * reads.
 */
export function generateKek(): string {
  return randomBytes(AEAD_KEY_BYTES).toString('base64');
}

/**
 * Reads a key ring from text: either one base64 key of 32 bytes (version 1), or entries
 * `<version>:<base64 key>` separated by commas or white space, e.g. `1:…,2:…` (the newest is the
 * highest version). Error messages name the faulty entry but never contain key material.
 *
 * @throws CryptoException `INVALID_KEY_RING` when the text does not parse.
 */
export function parseKeyRing(text: string): KeyRing {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw invalid('key ring text is empty');
  if (!trimmed.includes(':')) return new KeyRing(new Map([[1, decodeKey(trimmed, 'KEK')]]));

  const keys = new Map<number, Buffer>();
  trimmed
    .split(/[\s,]+/)
    .filter((entry) => entry.length > 0)
    .forEach((entry, index) => {
      const [version, key] = parseEntry(entry, index + 1);
      if (keys.has(version)) throw invalid(`KEK version ${version} appears more than once`);
      keys.set(version, key);
    });

  return new KeyRing(keys);
}

function parseEntry(entry: string, position: number): [number, Buffer] {
  const match = VERSIONED_ENTRY.exec(entry);
  if (!match || !VERSION.test(match[1])) {
    throw invalid(`key ring entry ${position} is not "<version>:<base64 key>"`);
  }

  const version = Number(match[1]);

  return [version, decodeKey(match[2], `KEK version ${version}`)];
}

function decodeKey(text: string, name: string): Buffer {
  if (!BASE64_KEY.test(text)) throw invalid(`${name} is not the base64 of ${AEAD_KEY_BYTES} bytes`);

  return Buffer.from(text, 'base64');
}

function invalid(message: string): CryptoException {
  return new CryptoException(CryptoErrorCode.InvalidKeyRing, message);
}
