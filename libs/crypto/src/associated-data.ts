import { CryptoErrorCode, CryptoException } from './crypto.exception';

/** One field of associated data: a UTF-8 string, or a non-negative safe integer. */
export type AssociatedDataField = string | number;

const FORMAT_VERSION = 0x01;
const STRING_TAG = 0x53; // 'S'
const INTEGER_TAG = 0x4e; // 'N'
const INTEGER_BYTES = 8;

/**
 * Encodes a label and fields into the fixed byte layout used as AEAD associated data and as
 * HKDF `info`. It is not JSON, so no two different inputs encode to the same bytes:
 *
 * `0x01 || u32(len label) || label || u32(count) || (tag || u32(len) || bytes) × count`
 *
 * where strings are UTF-8 with tag `S` and numbers are u64 big-endian with tag `N`. Every
 * length is a u32 big-endian. Distinct purposes must use distinct labels.
 *
 * @throws CryptoException `INVALID_INPUT` for an empty label or a number that is negative,
 * fractional or beyond 2^53.
 */
export function encodeAssociatedData(
  label: string,
  fields: readonly AssociatedDataField[],
): Buffer {
  if (label.length === 0) {
    throw new CryptoException(CryptoErrorCode.InvalidInput, 'associated-data label is empty');
  }

  const parts: Buffer[] = [Buffer.of(FORMAT_VERSION), lengthPrefixed(Buffer.from(label, 'utf8'))];
  parts.push(u32(fields.length));
  fields.forEach((field, index) => parts.push(encodeField(field, index)));

  return Buffer.concat(parts);
}

function encodeField(field: AssociatedDataField, index: number): Buffer {
  if (typeof field === 'string') {
    return Buffer.concat([Buffer.of(STRING_TAG), lengthPrefixed(Buffer.from(field, 'utf8'))]);
  }
  if (!Number.isSafeInteger(field) || field < 0) {
    throw new CryptoException(
      CryptoErrorCode.InvalidInput,
      `associated-data field ${index} must be a non-negative safe integer`,
    );
  }

  const value = Buffer.alloc(INTEGER_BYTES);
  value.writeBigUInt64BE(BigInt(field));

  return Buffer.concat([Buffer.of(INTEGER_TAG), lengthPrefixed(value)]);
}

function lengthPrefixed(bytes: Buffer): Buffer {
  return Buffer.concat([u32(bytes.length), bytes]);
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);

  return bytes;
}
