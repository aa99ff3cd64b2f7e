import { CryptoErrorCode, CryptoException } from '../src/crypto.exception';

/** The code of the {@link CryptoException} `fn` throws, or `undefined` if it returns. */
export function cryptoErrorOf(fn: () => unknown): CryptoErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof CryptoException) return error.code;
    throw error;
  }

  return undefined;
}
