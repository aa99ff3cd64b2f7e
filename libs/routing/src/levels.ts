/** The lowest level number. */
export const MIN_LEVEL = 1;

/** The highest level number a rule or a provider key may use. */
export const MAX_LEVEL = 1000;

const DIGITS = /^[0-9]+$/;

/** Whether `value` is a whole level number from {@link MIN_LEVEL} to {@link MAX_LEVEL}. */
export function isLevel(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_LEVEL && value <= MAX_LEVEL;
}

/** Reads a level written in decimal digits; `undefined` when it is not a valid level. */
export function parseLevel(text: string): number | undefined {
  if (!DIGITS.test(text)) return undefined;
  const level = Number(text);

  return isLevel(level) ? level : undefined;
}
