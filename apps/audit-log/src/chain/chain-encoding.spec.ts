import { canonicalJson, chainHash, encodeFields, GENESIS_HASH } from './chain-encoding';

describe('encodeFields', () => {
  it('tells null, empty text, zero and false apart', () => {
    const encodings = [[null], [''], [0], [false], [[]]].map((fields) =>
      encodeFields(fields).toString('hex'),
    );

    expect(new Set(encodings).size).toBe(5);
  });

  it('does not let a boundary between fields move ("ab","c" is not "a","bc")', () => {
    const first = encodeFields(['ab', 'c']);
    const second = encodeFields(['a', 'bc']);

    expect(first.equals(second)).toBe(false);
  });

  it('encodes integers as fixed 8-byte big-endian values', () => {
    const bytes = encodeFields([258]);

    expect(bytes.subarray(-9).toString('hex')).toBe('020000000000000102');
  });

  it('refuses a number it could not encode exactly', () => {
    expect(() => encodeFields([1.5])).toThrow(RangeError);
  });
});

describe('chainHash', () => {
  it('depends on the previous hash as well as on the entry', () => {
    const entry = encodeFields(['request', 't', 1]);

    const fromGenesis = chainHash(GENESIS_HASH, entry);
    const fromOther = chainHash(Buffer.alloc(32, 1), entry);

    expect(fromGenesis).toHaveLength(32);
    expect(fromGenesis.equals(fromOther)).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    const text = canonicalJson({ b: 1, a: { d: [true, null], c: 'x' }, e: undefined });

    expect(text).toBe('{"a":{"c":"x","d":[true,null]},"b":1}');
  });
});
