const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

const needles = new Map<string, Buffer>();

/**
 * The value of the top-level member `name` of a JSON object, read from the object's tail: the
 * last `"name"` key in the bytes, provided that what follows its value is only further members
 * and the object's closing brace. Undefined when that cannot be shown (no such key, a key
 * spelled with escapes, the last one nested or followed by anything else); the caller then
 * parses the whole text.
 *
 * Why: providers put `usage` at or near the end of an answer, so this reads a few hundred bytes
 * where `JSON.parse` would build the whole answer (its content, choices and all) only for the
 * router to read one member. The text before the key is not checked: the answer is relayed
 * as it is, and only its usage is read.
 */
export function lastTopLevelMember(bytes: Buffer, name: string): { value: unknown } | undefined {
  const key = needleOf(name);
  let at = bytes.lastIndexOf(key);
  // The text quoted inside a string (after a backslash) or as a value: look further back.
  for (let tries = 0; at >= 0 && !startsMember(bytes, at, key); tries++) {
    if (tries === MAX_DECOYS) return undefined;
    at = at > 0 ? bytes.lastIndexOf(key, at - 1) : -1;
  }
  if (at < 0) return undefined;

  const valueStart = skipSpace(bytes, skipSpace(bytes, at + key.length) + 1);
  const valueEnd = skipValue(bytes, valueStart);
  if (valueEnd < 0 || !closesTheObject(bytes, valueEnd)) return undefined;

  try {
    return { value: JSON.parse(bytes.toString('utf8', valueStart, valueEnd)) as unknown };
  } catch {
    return undefined;
  }
}

/** Occurrences of the key's text that are not a key, passed over before giving up. */
const MAX_DECOYS = 4;

/** Whether the key's text at `at` opens a member: an unescaped quote, then a colon. */
function startsMember(bytes: Buffer, at: number, key: Buffer): boolean {
  return !escaped(bytes, at) && bytes[skipSpace(bytes, at + key.length)] === COLON;
}

/**
 * Whether the bytes from `i` on are `(, "key": value)*` then `}` and nothing but whitespace:
 * the member before `i` then belongs to the object that ends the text.
 */
function closesTheObject(bytes: Buffer, i: number): boolean {
  i = skipSpace(bytes, i);
  while (bytes[i] === COMMA) {
    i = skipSpace(bytes, i + 1);
    if (bytes[i] !== QUOTE) return false;
    i = skipSpace(bytes, stringEnd(bytes, i));
    if (bytes[i] !== COLON) return false;
    const end = skipValue(bytes, skipSpace(bytes, i + 1));
    if (end < 0) return false;
    i = skipSpace(bytes, end);
  }

  return bytes[i] === CLOSE_OBJECT && skipSpace(bytes, i + 1) === bytes.length;
}

/** The index just past the value starting at `i`; -1 when it does not end. */
function skipValue(bytes: Buffer, i: number): number {
  const first = bytes[i];
  if (first === QUOTE) return stringEnd(bytes, i);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) return skipLiteral(bytes, i);

  let depth = 0;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      i = stringEnd(bytes, i);
      if (i < 0) return -1;
      continue;
    }
    if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
    else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
    i++;
    if (depth === 0) return i;
  }

  return -1;
}

/** A number, `true`, `false` or `null`: up to the next delimiter; -1 when empty. */
function skipLiteral(bytes: Buffer, start: number): number {
  let i = start;
  while (i < bytes.length && !isDelimiter(bytes[i])) i++;

  return i > start ? i : -1;
}

/** The index just past the string opening at `open` (found natively); -1 when unterminated. */
function stringEnd(bytes: Buffer, open: number): number {
  let at = bytes.indexOf(QUOTE, open + 1);
  while (at >= 0 && escaped(bytes, at)) at = bytes.indexOf(QUOTE, at + 1);

  return at < 0 ? -1 : at + 1;
}

/** Whether the byte at `at` follows an odd run of backslashes. */
function escaped(bytes: Buffer, at: number): boolean {
  let backslashes = 0;
  while (at - backslashes > 0 && bytes[at - backslashes - 1] === BACKSLASH) backslashes++;

  return backslashes % 2 === 1;
}

function skipSpace(bytes: Buffer, i: number): number {
  while (i >= 0 && i < bytes.length && isSpace(bytes[i])) i++;

  return i;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function isDelimiter(byte: number): boolean {
  return isSpace(byte) || byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY;
}

function needleOf(name: string): Buffer {
  let needle = needles.get(name);
  if (!needle) {
    needle = Buffer.from(JSON.stringify(name));
    needles.set(name, needle);
  }

  return needle;
}
