import { randomBytes } from 'node:crypto';

import { kekCheckValue, matchesKekCheckValue } from './kek-check';

describe(kekCheckValue.name, () => {
  it('matches the key and version it was made with, and nothing else', () => {
    const key = randomBytes(32);
    const check = kekCheckValue(key, 1);

    expect(matchesKekCheckValue(key, 1, check)).toBe(true);
    expect(matchesKekCheckValue(randomBytes(32), 1, check)).toBe(false);
    expect(matchesKekCheckValue(key, 2, check)).toBe(false);
  });

  it('does not match a check value with a flipped bit', () => {
    const key = randomBytes(32);
    const check = kekCheckValue(key, 3);
    check[check.length - 1] ^= 0x01;

    expect(matchesKekCheckValue(key, 3, check)).toBe(false);
  });
});
