import { cryptoErrorOf } from '../test/crypto-error-of';
import { CryptoErrorCode } from './crypto.exception';
import { DERIVED_KEY_BYTES, deriveKey } from './key-derivation';

describe(deriveKey.name, () => {
  const secret = Buffer.alloc(32, 7);

  it('derives the same 32 bytes from the same input', () => {
    const first = deriveKey(secret, 'label', ['tenant', 'slot']);
    const second = deriveKey(secret, 'label', ['tenant', 'slot']);

    expect(first).toHaveLength(DERIVED_KEY_BYTES);
    expect(first.equals(second)).toBe(true);
  });

  it('derives independent keys for other labels, contexts and secrets', () => {
    const base = deriveKey(secret, 'label', ['tenant']);

    const others = [
      deriveKey(secret, 'other-label', ['tenant']),
      deriveKey(secret, 'label', ['tenant-2']),
      deriveKey(Buffer.alloc(32, 8), 'label', ['tenant']),
    ];

    expect(others.filter((key) => key.equals(base))).toEqual([]);
  });

  it('accepts a context longer than 1024 bytes', () => {
    const key = deriveKey(secret, 'label', ['é'.repeat(400), 'ü'.repeat(400)]);

    expect(key).toHaveLength(DERIVED_KEY_BYTES);
  });

  it('refuses empty input keying material', () => {
    const code = cryptoErrorOf(() => deriveKey(Buffer.alloc(0), 'label'));

    expect(code).toBe(CryptoErrorCode.InvalidInput);
  });
});
