import { createHash } from 'node:crypto';

/** The hash before a chain's first entry. */
export const GENESIS_HASH = Buffer.alloc(32);

const HEADER = Buffer.from('xai-audit-chain/v1\0', 'utf8');

/** A field of a chain entry, in its canonical order. */
export type ChainField = string | number | boolean | null | ChainField[];

const TAG = { null: 0x00, text: 0x01, integer: 0x02, boolean: 0x03, list: 0x04 } as const;

/**
 * The canonical bytes of an entry: a fixed header, then each field in a fixed order as a tag
 * byte and its value: text as a 4-byte big-endian length and UTF-8, integers as 8-byte
 * big-endian two's complement, booleans as one byte, lists as a 4-byte count and their items.
 * No field names, no JSON, no locale: the same values always give the same bytes, and two
 * different values never do (null, '' and 0 are all distinct).
 */
export function encodeFields(fields: readonly ChainField[]): Buffer {
  // Sized first, then written in place: one allocation per entry instead of three per field.
  const bytes = Buffer.allocUnsafe(HEADER.length + sizeOfFields(fields));
  HEADER.copy(bytes, 0);
  writeFields(bytes, HEADER.length, fields);

  return bytes;
}

/** The hash of an entry: SHA-256 over the previous entry's hash and this entry's bytes. */
export function chainHash(previous: Buffer, encoded: Buffer): Buffer {
  return createHash('sha256').update(previous).update(encoded).digest();
}

function sizeOfFields(fields: readonly ChainField[]): number {
  let size = 0;
  for (const field of fields) {
    if (field === null) size += 1;
    else if (typeof field === 'string') size += 5 + Buffer.byteLength(field, 'utf8');
    else if (typeof field === 'number') size += 9;
    else if (typeof field === 'boolean') size += 2;
    else size += 5 + sizeOfFields(field);
  }

  return size;
}

/** Writes `fields` from `offset` on; returns the offset after them. */
function writeFields(bytes: Buffer, offset: number, fields: readonly ChainField[]): number {
  let at = offset;
  for (const field of fields) {
    if (field === null) {
      at = bytes.writeUInt8(TAG.null, at);
    } else if (typeof field === 'string') {
      // Lone surrogates are written as U+FFFD, as Buffer.byteLength counted them.
      const length = bytes.write(field, at + 5, 'utf8');
      bytes.writeUInt8(TAG.text, at);
      bytes.writeUInt32BE(length, at + 1);
      at += 5 + length;
    } else if (typeof field === 'number') {
      at = writeInteger(bytes, bytes.writeUInt8(TAG.integer, at), field);
    } else if (typeof field === 'boolean') {
      at = bytes.writeUInt8(field ? 1 : 0, bytes.writeUInt8(TAG.boolean, at));
    } else {
      at = bytes.writeUInt32BE(field.length, bytes.writeUInt8(TAG.list, at));
      at = writeFields(bytes, at, field);
    }
  }

  return at;
}

/** A safe integer as 8 bytes of big-endian two's complement, without a BigInt. */
function writeInteger(bytes: Buffer, offset: number, value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  const high = Math.floor(value / 0x1_0000_0000);
  bytes.writeInt32BE(high, offset);

  return bytes.writeUInt32BE(value - high * 0x1_0000_0000, offset + 4);
}

/**
 * JSON with object keys sorted at every depth and no whitespace, so a value stored as jsonb and
 * read back encodes to the same text it was hashed with.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }

  return JSON.stringify(value ?? null);
}
