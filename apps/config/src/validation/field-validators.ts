import { isLevel, MAX_LEVEL, MIN_LEVEL } from '@xai/routing';

import { ConfigException } from '../errors/config.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTROL_CHARACTER = /\p{Cc}/u;

/** A UUID, lower-cased as PostgreSQL writes it. */
export function requireUuid(field: string, value: string): string {
  if (!UUID.test(value)) throw ConfigException.invalid(field, 'must be a UUID');

  return value.toLowerCase();
}

/** Text of 1..`max` characters, not blank, without control characters. */
export function requireText(field: string, value: string, max: number): string {
  if (value.trim() === '' || value.length > max) {
    throw ConfigException.invalid(field, `must be 1 to ${max} characters`);
  }
  if (CONTROL_CHARACTER.test(value)) {
    throw ConfigException.invalid(field, 'must not contain control characters');
  }

  return value;
}

/** Text of at most `max` characters (empty allowed), without control characters. */
export function optionalText(field: string, value: string, max: number): string {
  return value === '' ? value : requireText(field, value, max);
}

/** A level number: a whole number from 1 to 1000. */
export function requireLevel(field: string, value: number): number {
  if (!isLevel(value)) {
    throw ConfigException.invalid(
      field,
      `must be a whole number from ${MIN_LEVEL} to ${MAX_LEVEL}`,
    );
  }

  return value;
}

/** One of `allowed`. */
export function requireOneOf<T extends string>(
  field: string,
  value: string,
  allowed: readonly T[],
): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined)
    throw ConfigException.invalid(field, `must be one of ${allowed.join(', ')}`);

  return found;
}
