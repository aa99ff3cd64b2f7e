import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { CryptoErrorCode, CryptoException } from './crypto.exception';
import { KeyRing, generateKek, parseKeyRing } from './key-ring';

function parseError(text: string): CryptoException {
  try {
    parseKeyRing(text);
  } catch (error) {
    if (error instanceof CryptoException) return error;
    throw error;
  }
  throw new Error('parseKeyRing accepted the text');
}

describe(parseKeyRing.name, () => {
  it('reads one base64 key as version 1', () => {
    const kek = generateKek();

    const ring = parseKeyRing(`${kek}\n`);

    expect(ring.versions).toEqual([1]);
    expect(ring.newestVersion).toBe(1);
    expect(ring.key(1).toString('base64')).toBe(kek);
  });

  it('reads versioned keys, the highest version being the newest', () => {
    const [one, two, five] = [generateKek(), generateKek(), generateKek()];

    const ring = parseKeyRing(`2:${two}, 1:${one}\n5:${five}`);

    expect(ring.versions).toEqual([1, 2, 5]);
    expect(ring.newestVersion).toBe(5);
    expect(ring.key(2).toString('base64')).toBe(two);
    expect(ring.key(5).toString('base64')).toBe(five);
  });

  it.each([
    ['empty text', () => '  \n'],
    ['a key of 16 bytes', () => randomBytes(16).toString('base64')],
    ['a key that is not base64', () => `${generateKek().slice(0, 40)}!!!=`],
    ['an entry without a version', () => `1:${generateKek()},:${generateKek()}`],
    ['version 0', () => `0:${generateKek()}`],
    ['a non-numeric version', () => `v2:${generateKek()}`],
    ['a duplicated version', () => `1:${generateKek()},1:${generateKek()}`],
  ])('refuses %s', (_case, text) => {
    const error = parseError(text());

    expect(error.code).toBe(CryptoErrorCode.InvalidKeyRing);
  });

  it('names the faulty version without echoing any key material', () => {
    const good = generateKek();
    const bad = randomBytes(31).toString('base64');

    const error = parseError(`1:${good},2:${bad}`);

    expect(error.message).toContain('KEK version 2');
    expect(error.message).not.toContain(good);
    expect(error.message).not.toContain(bad);
    expect(error.message).not.toContain(bad.slice(0, 8));
  });
});

describe(KeyRing.name, () => {
  it('refuses a version it does not hold', () => {
    const ring = parseKeyRing(generateKek());

    expect(() => ring.key(2)).toThrow(
      expect.objectContaining({ code: CryptoErrorCode.UnknownKeyVersion }),
    );
  });

  it('never prints its keys', () => {
    const kek = generateKek();
    const ring = parseKeyRing(`3:${kek}`);

    const printed = [JSON.stringify(ring), inspect(ring), inspect({ ring }), String(ring)];

    expect(printed.filter((text) => text.includes(kek))).toEqual([]);
    expect(JSON.stringify(ring)).toBe('{"versions":[3]}');
  });

  it('copies the keys it is given', () => {
    const key = randomBytes(32);
    const ring = new KeyRing(new Map([[1, key]]));

    key.fill(0);

    expect(ring.key(1).equals(Buffer.alloc(32))).toBe(false);
  });
});
