import { isWellFormedVirtualKey } from '@xai/crypto';

import { generateKek, generatePepper, generateVirtualKey } from './secret-generators';

describe('secret generators', () => {
  it('makes owner keys the gateway accepts: well-formed, long enough for the bootstrap key', () => {
    const key = generateVirtualKey();

    expect(isWellFormedVirtualKey(key)).toBe(true);
    expect(key.length).toBeGreaterThanOrEqual(32);
  });

  it('never repeats a secret', () => {
    const kinds = [generateKek, generatePepper, generateVirtualKey];

    for (const generate of kinds) expect(generate()).not.toBe(generate());
  });

  it('makes a KEK that decodes to 32 bytes', () => {
    expect(Buffer.from(generateKek(), 'base64')).toHaveLength(32);
  });
});
