import { MapperErrorCode, MapperName, MapperSyntaxException } from './mapper-syntax.exception';

/** The longest pattern or value accepted; keeps matching cheap and messages readable. */
export const MAX_RULE_PART_LENGTH = 200;

/**
 * How strictly a mapper string is read. Rules being saved get every check; rules read back from
 * storage (`stored`) were checked when saved, under the grammar of that day, so the checks added
 * since (invisible characters, lone surrogates, repeated patterns) are not applied again: an
 * older rule set keeps routing instead of failing the whole tenant.
 */
export interface MapperParseOptions {
  stored?: boolean;
}

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

// Invisible format characters (zero-width space and joiner, BOM, direction marks: category Cf)
// make two rules that look the same differ, and a pasted one never matches what callers type.
const INVISIBLE_CHARACTER = /\p{Cf}/u;

// Half of a surrogate pair alone is no character at all, and cannot be sent as UTF-8.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Splits a mapper string into its items. An empty (or blank) string has no items; an empty
 * item between commas is refused, as is an item without exactly one `=` or with an empty side.
 */
export function splitMapperItems(
  mapper: MapperName,
  text: string,
  options: MapperParseOptions = {},
): MapperItem[] {
  if (text.trim() === '') return [];

  return text.split(',').map((raw, index) => splitItem(mapper, raw.trim(), index + 1, options));
}

/**
 * Refuses an item whose pattern an earlier item already has: the later rule could never match,
 * so keeping it would only hide a mistake.
 * @throws MapperSyntaxException naming the repeated item and the earlier one
 */
export function refuseRepeatedPatterns(
  mapper: MapperName,
  items: readonly MapperItem[],
  options: MapperParseOptions = {},
): void {
  if (options.stored) return;
  const seen = new Map<string, number>();
  for (const item of items) {
    const earlier = seen.get(item.pattern);
    if (earlier !== undefined) {
      throw new MapperSyntaxException(
        MapperErrorCode.DuplicatePattern,
        mapper,
        item.position,
        item.text,
        `repeats the pattern of item ${earlier}, so it could never match`,
      );
    }
    seen.set(item.pattern, item.position);
  }
}

function splitItem(
  mapper: MapperName,
  text: string,
  position: number,
  options: MapperParseOptions,
): MapperItem {
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
    const unseen = options.stored ? undefined : unseenCharacter(part);
    if (unseen) throw fail(MapperErrorCode.InvalidCharacter, unseen);
  }

  return { position, text, pattern, value };
}

/** What makes a side unfit to save though it looks fine: an invisible or broken character. */
function unseenCharacter(part: string): string | undefined {
  const invisible = INVISIBLE_CHARACTER.exec(part)?.[0];
  if (invisible !== undefined) {
    const code = (invisible.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');

    return `contains an invisible character (U+${code})`;
  }

  return LONE_SURROGATE.test(part) ? 'contains a lone surrogate (not valid Unicode)' : undefined;
}
