const BACKSLASH = 0x5c;
const COLON = 0x3a;

const needles = new Map<string, Buffer>();

/** Occurrences of the key's text that are not a key, passed over before giving up. */
const MAX_DECOYS = 4;

/**
 * The value of the top-level member `name` of a JSON object, read from the object's tail: from
 * the last `"name"` key in the bytes, what follows must parse as the rest of an object (that
 * member, maybe others, then the closing brace and nothing more), which holds only when the key
 * is a member of the object that ends the text. Undefined when it is not (no such key, a key
 * spelled with escapes, the last one nested): the caller then parses the whole text.
 *
 * Why: providers put `usage` at or near the end of an answer, so this parses a few hundred
 * bytes where `JSON.parse` would build the whole answer (its content, choices and all) only for
 * the router to read one member. The text before the key is not checked: the answer is relayed
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

  try {
    const tail = JSON.parse(`{${bytes.toString('utf8', at)}`) as Record<string, unknown>;

    return { value: tail[name] };
  } catch {
    return undefined;
  }
}

/** Whether the key's text at `at` opens a member: an unescaped quote, then a colon. */
function startsMember(bytes: Buffer, at: number, key: Buffer): boolean {
  return !escaped(bytes, at) && bytes[skipSpace(bytes, at + key.length)] === COLON;
}

/** Whether the byte at `at` follows an odd run of backslashes. */
function escaped(bytes: Buffer, at: number): boolean {
  let backslashes = 0;
  while (at - backslashes > 0 && bytes[at - backslashes - 1] === BACKSLASH) backslashes++;

  return backslashes % 2 === 1;
}

function skipSpace(bytes: Buffer, i: number): number {
  while (i < bytes.length && isSpace(bytes[i])) i++;

  return i;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function needleOf(name: string): Buffer {
  let needle = needles.get(name);
  if (!needle) {
    needle = Buffer.from(JSON.stringify(name));
    needles.set(name, needle);
  }

  return needle;
}
