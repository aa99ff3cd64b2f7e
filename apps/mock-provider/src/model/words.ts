/** The words the mock "model" answers with, picked by a hash of the prompt. */
export const VOCABULARY = [
  'amber',
  'breeze',
  'cobalt',
  'delta',
  'ember',
  'fjord',
  'granite',
  'harbor',
  'indigo',
  'juniper',
  'kestrel',
  'lantern',
  'meadow',
  'nimbus',
  'orchid',
  'pebble',
  'quartz',
  'river',
  'saffron',
  'timber',
  'umber',
  'velvet',
  'willow',
  'zephyr',
];

/** The word a seed picks, optionally shifted (for a second, third, … word from one seed). */
export function wordFor(seed: number, shift = 0): string {
  return VOCABULARY[(seed >>> (shift * 5)) % VOCABULARY.length];
}

/** FNV-1a, 32 bits: a cheap, stable hash for picking words and seeding vectors. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }

  return hash >>> 0;
}

/** A deterministic id of `length` hex digits for `text` (tool call and message ids). */
export function stableHexId(text: string, length = 24): string {
  let id = '';
  for (let round = 0; id.length < length; round++) {
    id += fnv1a(`${round}:${text}`).toString(16).padStart(8, '0');
  }

  return id.slice(0, length);
}
