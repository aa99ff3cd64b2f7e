import { ConfigException } from '../../errors/config.exception';
import { optionalText } from '../../validation/field-validators';

const HMAC_SHA256_HEX = /^[0-9a-f]{64}$/;
// Long enough to recognise a key, far too short to be one (virtual keys have 32+ characters).
const MAX_HINT_LENGTH = 16;

/** An HMAC-SHA256 in hex, lower-cased so a caller's letter case cannot split one key in two. */
export function requireKeyHash(field: string, value: string): string {
  const hash = value.toLowerCase();
  if (!HMAC_SHA256_HEX.test(hash)) {
    throw ConfigException.invalid(field, 'must be an HMAC-SHA256 as 64 hex digits');
  }

  return hash;
}

/** A short, non-secret prefix of a virtual key, for display. */
export function requireKeyHint(field: string, value: string): string {
  return optionalText(field, value, MAX_HINT_LENGTH);
}
