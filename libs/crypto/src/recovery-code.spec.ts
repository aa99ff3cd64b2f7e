import {
  generateRecoveryCode,
  isWellFormedRecoveryCode,
  recoveryCodeWrappingSecret,
} from './recovery-code';
import {
  generateVirtualKey,
  isWellFormedVirtualKey,
  virtualKeyWrappingSecret,
} from './virtual-key';

describe(generateRecoveryCode.name, () => {
  it('generates distinct, well-formed codes that are not virtual keys', () => {
    const codes = Array.from({ length: 100 }, () => generateRecoveryCode());

    expect(codes.every((code) => /^xrc-[0-9A-Za-z]{49}$/.test(code))).toBe(true);
    expect(codes.filter((code) => !isWellFormedRecoveryCode(code))).toEqual([]);
    expect(codes.filter((code) => isWellFormedVirtualKey(code))).toEqual([]);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe(isWellFormedRecoveryCode.name, () => {
  it('rejects a virtual key and a code with a changed character', () => {
    const code = generateRecoveryCode();
    const changed = `${code.slice(0, 10)}${code[10] === 'A' ? 'B' : 'A'}${code.slice(11)}`;

    expect(isWellFormedRecoveryCode(generateVirtualKey())).toBe(false);
    expect(isWellFormedRecoveryCode(changed)).toBe(false);
  });
});

describe(recoveryCodeWrappingSecret.name, () => {
  it('derives 32 bytes that differ from the virtual-key derivation of the same text', () => {
    const code = generateRecoveryCode();

    const secret = recoveryCodeWrappingSecret(code);

    expect(secret).toHaveLength(32);
    expect(secret.equals(recoveryCodeWrappingSecret(code))).toBe(true);
    expect(secret.equals(virtualKeyWrappingSecret(code))).toBe(false);
  });
});
