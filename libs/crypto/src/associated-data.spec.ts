import { cryptoErrorOf } from '../test/crypto-error-of';
import { encodeAssociatedData } from './associated-data';
import { CryptoErrorCode } from './crypto.exception';

describe(encodeAssociatedData.name, () => {
  it('lays out version, label, count and tagged length-prefixed fields', () => {
    const encoded = encodeAssociatedData('L', ['ab', 7]);

    expect(encoded.toString('hex')).toBe(
      [
        '01',
        '00000001',
        '4c',
        '00000002',
        '53',
        '00000002',
        '6162',
        '4e',
        '00000008',
        '0000000000000007',
      ].join(''),
    );
  });

  it.each([
    ['split points differ', ['ab', 'c'], ['a', 'bc']],
    ['a string and a number differ', ['7'], [7]],
    ['an empty field and no field differ', [''], []],
    ['field order matters', ['a', 'b'], ['b', 'a']],
    ['a field that looks like an encoding stays a field', ['a\u0000b'], ['a', 'b']],
  ])('encodes unambiguously: %s', (_case, left, right) => {
    const a = encodeAssociatedData('label', left);
    const b = encodeAssociatedData('label', right);

    expect(a.equals(b)).toBe(false);
  });

  it('binds the label', () => {
    const slot = encodeAssociatedData('xai/slot', ['t', 's', 1]);
    const key = encodeAssociatedData('xai/key', ['t', 's', 1]);

    expect(slot.equals(key)).toBe(false);
  });

  it('encodes the same input to the same bytes', () => {
    const first = encodeAssociatedData('label', ['tenant', 'é', 2 ** 40]);
    const second = encodeAssociatedData('label', ['tenant', 'é', 2 ** 40]);

    expect(first.equals(second)).toBe(true);
  });

  it.each([[-1], [1.5], [Number.MAX_SAFE_INTEGER + 1], [Number.NaN]])(
    'refuses the number %p',
    (value) => {
      const code = cryptoErrorOf(() => encodeAssociatedData('label', [value]));

      expect(code).toBe(CryptoErrorCode.InvalidInput);
    },
  );

  it('refuses an empty label', () => {
    const code = cryptoErrorOf(() => encodeAssociatedData('', ['x']));

    expect(code).toBe(CryptoErrorCode.InvalidInput);
  });
});
