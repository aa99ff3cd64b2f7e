import { randomBytes } from 'node:crypto';

import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, openAead, sealAead, sealAeadWithNonce } from './aead';
import { cryptoErrorOf } from '../test/crypto-error-of';
import { CryptoErrorCode } from './crypto.exception';

// draft-irtf-cfrg-xchacha-03, appendix A.3.1 (AEAD_XCHACHA20_POLY1305), typed in as data.
const VECTOR = {
  plaintext: hex(
    '4c616469657320616e642047656e746c656d656e206f662074686520636c6173' +
      '73206f66202739393a204966204920636f756c64206f6666657220796f75206f' +
      '6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73' +
      '637265656e20776f756c642062652069742e',
  ),
  aad: hex('50515253c0c1c2c3c4c5c6c7'),
  key: hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f'),
  nonce: hex('404142434445464748494a4b4c4d4e4f5051525354555657'),
  ciphertext: hex(
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb' +
      '731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452' +
      '2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9' +
      '21f9664c97637da9768812f615c68b13b52e',
  ),
  tag: hex('c0875924c1c7987947deafd8780acf49'),
};

function hex(text: string): Buffer {
  return Buffer.from(text, 'hex');
}

function flipBit(bytes: Buffer, index: number, bit = 0): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] ^= 1 << bit;

  return copy;
}

describe('XChaCha20-Poly1305 AEAD', () => {
  const key = randomBytes(32);
  const ad = Buffer.from('tenant-1/key-1');
  const plaintext = Buffer.from('sk-test-provider-key');

  it('produces the published test vector of draft-irtf-cfrg-xchacha-03 A.3.1', () => {
    const sealed = sealAeadWithNonce(VECTOR.key, VECTOR.nonce, VECTOR.plaintext, VECTOR.aad);

    expect(sealed.toString('hex')).toBe(
      Buffer.concat([VECTOR.nonce, VECTOR.ciphertext, VECTOR.tag]).toString('hex'),
    );
  });

  it('opens the published test vector of draft-irtf-cfrg-xchacha-03 A.3.1', () => {
    const sealed = Buffer.concat([VECTOR.nonce, VECTOR.ciphertext, VECTOR.tag]);

    const opened = openAead(VECTOR.key, sealed, VECTOR.aad);

    expect(opened.equals(VECTOR.plaintext)).toBe(true);
  });

  it('round-trips with a fresh nonce laid out as nonce || ciphertext || tag', () => {
    const first = sealAead(key, plaintext, ad);
    const second = sealAead(key, plaintext, ad);

    expect(first).toHaveLength(AEAD_NONCE_BYTES + plaintext.length + AEAD_TAG_BYTES);
    expect(first.subarray(0, AEAD_NONCE_BYTES).equals(second.subarray(0, AEAD_NONCE_BYTES))).toBe(
      false,
    );
    expect(openAead(key, first, ad).equals(plaintext)).toBe(true);
    expect(openAead(key, second, ad).equals(plaintext)).toBe(true);
  });

  it.each([
    ['nonce', 0],
    ['ciphertext', AEAD_NONCE_BYTES + 3],
    ['tag', -1],
  ])('refuses a value with a flipped bit in the %s', (_part, offset) => {
    const sealed = sealAead(key, plaintext, ad);
    const index = offset < 0 ? sealed.length + offset : offset;

    const code = cryptoErrorOf(() => openAead(key, flipBit(sealed, index, 5), ad));

    expect(code).toBe(CryptoErrorCode.AuthenticationFailed);
  });

  it('refuses every single-bit change anywhere in the sealed value', () => {
    const sealed = sealAead(key, plaintext, ad);
    const accepted: string[] = [];

    for (let index = 0; index < sealed.length; index += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const code = cryptoErrorOf(() => openAead(key, flipBit(sealed, index, bit), ad));
        if (code !== CryptoErrorCode.AuthenticationFailed) accepted.push(`${index}:${bit}`);
      }
    }

    expect(accepted).toEqual([]);
  });

  it('refuses a value opened with different associated data', () => {
    const sealed = sealAead(key, plaintext, ad);

    const code = cryptoErrorOf(() => openAead(key, sealed, Buffer.from('tenant-1/key-2')));

    expect(code).toBe(CryptoErrorCode.AuthenticationFailed);
  });

  it('refuses a value opened with another key', () => {
    const sealed = sealAead(key, plaintext, ad);

    const code = cryptoErrorOf(() => openAead(randomBytes(32), sealed, ad));

    expect(code).toBe(CryptoErrorCode.AuthenticationFailed);
  });

  it('refuses a truncated value as malformed', () => {
    const sealed = sealAead(key, Buffer.alloc(0), ad);

    const code = cryptoErrorOf(() => openAead(key, sealed.subarray(0, sealed.length - 1), ad));

    expect(code).toBe(CryptoErrorCode.Malformed);
  });

  it('refuses keys that are not 32 bytes', () => {
    const sealCode = cryptoErrorOf(() => sealAead(randomBytes(16), plaintext, ad));
    const openCode = cryptoErrorOf(() => openAead(randomBytes(31), randomBytes(64), ad));

    expect(sealCode).toBe(CryptoErrorCode.InvalidKey);
    expect(openCode).toBe(CryptoErrorCode.InvalidKey);
  });
});
