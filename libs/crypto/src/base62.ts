const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = BigInt(ALPHABET.length);

/** The characters base62 text may contain. */
export const BASE62_PATTERN = '[0-9A-Za-z]';

/**
 * Writes `bytes` as a big-endian number in base62, left-padded with `0` to exactly `width`
 * characters, so that encoded values have a fixed length whatever their leading bytes.
 */
export function encodeBase62(bytes: Uint8Array, width: number): string {
  let value = bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  let text = '';
  while (value > 0n) {
    text = ALPHABET[Number(value % BASE)] + text;
    value /= BASE;
  }
  if (text.length > width) throw new RangeError(`value needs more than ${width} base62 digits`);

  return text.padStart(width, ALPHABET[0]);
}
