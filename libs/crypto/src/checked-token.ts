import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

import { BASE62_PATTERN, encodeBase62 } from './base62';

const BODY_BYTES = 32;
// 62^43 > 2^256, so 43 base62 characters hold any 32-byte body.
const BODY_CHARS = 43;
// 62^6 > 2^32, so 6 base62 characters hold any CRC-32.
const CHECKSUM_CHARS = 6;

/** Length of a checked token without its prefix. */
export const CHECKED_TOKEN_BODY_LENGTH = BODY_CHARS + CHECKSUM_CHARS;

/**
 * A fresh token: `prefix`, 43 base62 characters carrying 256 random bits, then a 6-character
 * base62 CRC-32 of those characters. Internal to this lib: virtual keys and recovery codes are
 * both made this way, under different prefixes.
 */
export function generateCheckedToken(prefix: string): string {
  const body = encodeBase62(randomBytes(BODY_BYTES), BODY_CHARS);

  return `${prefix}${body}${checksumOf(body)}`;
}

/** Whether `token` is `prefix` followed by a body whose checksum matches. */
export function isCheckedToken(prefix: string, token: string): boolean {
  if (!token.startsWith(prefix)) return false;

  const rest = token.slice(prefix.length);
  if (!new RegExp(`^${BASE62_PATTERN}{${CHECKED_TOKEN_BODY_LENGTH}}$`).test(rest)) return false;

  return checksumOf(rest.slice(0, BODY_CHARS)) === rest.slice(BODY_CHARS);
}

function checksumOf(body: string): string {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));

  return encodeBase62(crc, CHECKSUM_CHARS);
}
