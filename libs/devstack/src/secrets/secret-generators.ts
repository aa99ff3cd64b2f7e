import { randomBytes } from 'node:crypto';

export { generateKek, generateVirtualKey } from '@xai/crypto';

/** A fresh pepper for virtual-key hashes: 48 random bytes, base64url (64 characters). */
export function generatePepper(): string {
  return randomBytes(48).toString('base64url');
}
