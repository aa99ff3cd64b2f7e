/** Pico-dollars (10⁻¹² USD) per dollar. */
const PICO_PER_USD = 10n ** 12n;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Reads a non-negative decimal into an integer count of 10^-scale units, exactly (no binary
 * floating point). Throws on anything else, or when it has more than `scale` decimals.
 */
export function parseDecimal(text: string, scale: number): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`not a non-negative decimal: "${text}"`);
  const fraction = match[2] ?? '';
  if (fraction.length > scale) {
    throw new RangeError(`"${text}" has more than ${scale} decimal places`);
  }

  return BigInt(match[1]) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0') || '0');
}

/** An amount of pico-dollars as US dollars with exactly twelve decimals, e.g. `0.000001500000`. */
export function formatPicoUsd(pico: bigint): string {
  const whole = pico / PICO_PER_USD;
  const fraction = (pico % PICO_PER_USD).toString().padStart(12, '0');

  return `${whole}.${fraction}`;
}

/** A dollar amount (up to twelve decimals) as pico-dollars. */
export function parseUsd(text: string): bigint {
  return parseDecimal(text, 12);
}

/** A dollar amount written without trailing zeros, keeping at least two decimals (`0.15`, `2.50`). */
export function trimUsd(text: string): string {
  const [whole, fraction = ''] = text.split('.');
  const trimmed = fraction.replace(/0+$/, '').padEnd(2, '0');

  return `${whole}.${trimmed}`;
}
