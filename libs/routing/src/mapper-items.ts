import { MapperErrorCode, MapperName, MapperSyntaxException } from './mapper-syntax.exception';

/** The longest pattern or value accepted; keeps matching cheap and messages readable. */
export const MAX_RULE_PART_LENGTH = 200;

/** One `pattern=value` item of a mapper string, split but not yet interpreted. */
export interface MapperItem {
  /** 1-based position in the comma-separated list. */
  position: number;
  /** The item without surrounding spaces. */
  text: string;
  pattern: string;
  value: string;
}

// Whitespace or control characters inside a pattern or value are almost always a typo
// (`gpt 4`), and no provider uses them in model names.
const FORBIDDEN_CHARACTER = /[\s\p{Cc}]/u;

/**
 * Splits a mapper string into its items. An empty (or blank) string has no items; an empty
 * item between commas is refused, as is an item without exactly one `=` or with an empty side.
 */
export function splitMapperItems(mapper: MapperName, text: string): MapperItem[] {
  if (text.trim() === '') return [];

  return text.split(',').map((raw, index) => splitItem(mapper, raw.trim(), index + 1));
}

function splitItem(mapper: MapperName, text: string, position: number): MapperItem {
  const fail = (code: MapperErrorCode, problem: string): MapperSyntaxException =>
    new MapperSyntaxException(code, mapper, position, text, problem);
  if (text === '') throw fail(MapperErrorCode.EmptyItem, 'is empty');

  const parts = text.split('=');
  if (parts.length === 1) throw fail(MapperErrorCode.MissingEquals, 'has no "="');
  if (parts.length > 2) throw fail(MapperErrorCode.ExtraEquals, 'has more than one "="');

  const [pattern, value] = parts.map((part) => part.trim());
  if (pattern === '') throw fail(MapperErrorCode.EmptyPattern, 'has nothing before "="');
  if (value === '') throw fail(MapperErrorCode.EmptyValue, 'has nothing after "="');
  for (const part of [pattern, value]) {
    if (FORBIDDEN_CHARACTER.test(part)) {
      throw fail(MapperErrorCode.InvalidCharacter, 'contains a space or control character');
    }
    if (part.length > MAX_RULE_PART_LENGTH) {
      throw fail(
        MapperErrorCode.TooLong,
        `has a side longer than ${MAX_RULE_PART_LENGTH} characters`,
      );
    }
  }

  return { position, text, pattern, value };
}
