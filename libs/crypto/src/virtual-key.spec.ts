import { cryptoErrorOf } from '../test/crypto-error-of';
import { CryptoErrorCode } from './crypto.exception';
import {
  VIRTUAL_KEY_LENGTH,
  generateVirtualKey,
  isWellFormedVirtualKey,
  virtualKeyHint,
  virtualKeyLookupHash,
  virtualKeyWrappingSecret,
} from './virtual-key';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BOOTSTRAP_KEY = 'operator-chosen-bootstrap-key-0123456789';
const PEPPER = 'pepper-kept-outside-the-database';

describe(generateVirtualKey.name, () => {
  it('generates prefixed, fixed-length, well-formed keys', () => {
    const keys = Array.from({ length: 200 }, () => generateVirtualKey());

    expect(keys.every((key) => /^xai-[0-9A-Za-z]+$/.test(key))).toBe(true);
    expect(new Set(keys.map((key) => key.length))).toEqual(new Set([VIRTUAL_KEY_LENGTH]));
    expect(keys.filter((key) => !isWellFormedVirtualKey(key))).toEqual([]);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe(isWellFormedVirtualKey.name, () => {
  it('rejects every one-character change of a key', () => {
    const key = generateVirtualKey();
    const accepted: string[] = [];

    for (let index = 0; index < key.length; index += 1) {
      for (const replacement of `${BASE62}-_`) {
        if (replacement === key[index]) continue;
        const changed = key.slice(0, index) + replacement + key.slice(index + 1);
        if (isWellFormedVirtualKey(changed)) accepted.push(changed);
      }
    }

    expect(accepted).toEqual([]);
  });

  it.each([
    ['a missing character', (key: string) => key.slice(0, -1)],
    ['an extra character', (key: string) => `${key}0`],
    ['another prefix', (key: string) => `sk-${key.slice(4)}`],
    ['swapped neighbours', (key: string) => swapBodyCharacters(key)],
    ['surrounding white space', (key: string) => ` ${key}`],
  ])('rejects a key with %s', (_case, mutate) => {
    const key = generateVirtualKey();

    expect(isWellFormedVirtualKey(mutate(key))).toBe(false);
  });

  it('rejects keys that are not in the xai- format', () => {
    expect(isWellFormedVirtualKey(BOOTSTRAP_KEY)).toBe(false);
    expect(isWellFormedVirtualKey('')).toBe(false);
  });
});

function swapBodyCharacters(key: string): string {
  const index = [...key.slice(4)].findIndex((char, i, all) => char !== all[i + 1]) + 4;

  return key.slice(0, index) + key[index + 1] + key[index] + key.slice(index + 2);
}

describe(virtualKeyLookupHash.name, () => {
  it('is a deterministic hex HMAC that depends on the pepper', () => {
    const key = generateVirtualKey();

    const hash = virtualKeyLookupHash(key, PEPPER);

    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(virtualKeyLookupHash(key, PEPPER)).toBe(hash);
    expect(virtualKeyLookupHash(key, `${PEPPER}-2`)).not.toBe(hash);
    expect(virtualKeyLookupHash(generateVirtualKey(), PEPPER)).not.toBe(hash);
  });

  it('works for bootstrap keys outside the xai- format', () => {
    const hash = virtualKeyLookupHash(BOOTSTRAP_KEY, PEPPER);

    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an empty key or pepper', () => {
    expect(cryptoErrorOf(() => virtualKeyLookupHash('', PEPPER))).toBe(
      CryptoErrorCode.InvalidInput,
    );
    expect(cryptoErrorOf(() => virtualKeyLookupHash(BOOTSTRAP_KEY, ''))).toBe(
      CryptoErrorCode.InvalidInput,
    );
  });
});

describe(virtualKeyWrappingSecret.name, () => {
  it('derives 32 deterministic bytes per key, for any key format', () => {
    const key = generateVirtualKey();

    const secret = virtualKeyWrappingSecret(key);

    expect(secret).toHaveLength(32);
    expect(virtualKeyWrappingSecret(key).equals(secret)).toBe(true);
    expect(virtualKeyWrappingSecret(BOOTSTRAP_KEY)).toHaveLength(32);
    expect(virtualKeyWrappingSecret(BOOTSTRAP_KEY).equals(secret)).toBe(false);
  });

  it('is not the lookup hash, under any pepper', () => {
    const key = generateVirtualKey();

    const secret = virtualKeyWrappingSecret(key).toString('hex');

    expect(secret).not.toBe(virtualKeyLookupHash(key, PEPPER));
    expect(secret).not.toBe(virtualKeyLookupHash(key, key));
  });
});

describe(virtualKeyHint.name, () => {
  it('shows the prefix and four characters of a generated key', () => {
    const key = generateVirtualKey();

    expect(virtualKeyHint(key)).toBe(`${key.slice(0, 8)}…`);
  });

  it('shows at most a quarter of any other key', () => {
    expect(virtualKeyHint(BOOTSTRAP_KEY)).toBe('oper…');
    expect(virtualKeyHint('short-key')).toBe('sh…');
    expect(virtualKeyHint('xai-abc')).toBe('x…');
  });
});
