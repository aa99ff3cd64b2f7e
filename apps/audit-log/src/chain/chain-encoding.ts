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
  const parts: Buffer[] = [HEADER];
  for (const field of fields) appendField(parts, field);

  return Buffer.concat(parts);
}

/** The hash of an entry: SHA-256 over the previous entry's hash and this entry's bytes. */
export function chainHash(previous: Buffer, encoded: Buffer): Buffer {
  return createHash('sha256').update(previous).update(encoded).digest();
}

function appendField(parts: Buffer[], field: ChainField): void {
  if (field === null) {
    parts.push(Buffer.of(TAG.null));
  } else if (typeof field === 'string') {
    const text = Buffer.from(field, 'utf8');
    parts.push(Buffer.of(TAG.text), uint32(text.length), text);
  } else if (typeof field === 'number') {
    if (!Number.isSafeInteger(field)) throw new RangeError(`not a safe integer: ${field}`);
    const value = Buffer.alloc(8);
    value.writeBigInt64BE(BigInt(field));
    parts.push(Buffer.of(TAG.integer), value);
  } else if (typeof field === 'boolean') {
    parts.push(Buffer.of(TAG.boolean, field ? 1 : 0));
  } else {
    parts.push(Buffer.of(TAG.list), uint32(field.length));
    for (const item of field) appendField(parts, item);
  }
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);

  return buffer;
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
