/** Where a value sits in a JSON text: `text.slice(start, end)` is the value's own text. */
interface Span {
  start: number;
  end: number;
}

/**
 * Finds every value of a top-level property in the text of a JSON object, so that it can be
 * replaced without re-serialising the rest: the body then reaches the provider byte for byte
 * except that value. A key may repeat in JSON text; parsers keep the last, so every
 * occurrence must be replaced or a provider could read a value the router never checked. The
 * text must already be known to be valid JSON.
 */
export function findTopLevelValues(text: string, key: string): Span[] {
  const spans: Span[] = [];
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return spans;
  i = skipSpace(text, i + 1);
  while (i < text.length && text[i] !== '}') {
    const keyEnd = skipString(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const valueEnd = skipValue(text, valueStart);
    if (name === key) spans.push({ start: valueStart, end: valueEnd });
    i = skipSpace(text, valueEnd);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }

  return spans;
}

/** Replaces every value of a top-level property with `json` (already serialised). */
export function replaceTopLevelValue(text: string, key: string, json: string): string {
  const spans = findTopLevelValues(text, key);
  if (spans.length === 0) return insertTopLevelValue(text, key, json);

  let result = text;
  for (const span of spans.reverse()) {
    result = result.slice(0, span.start) + json + result.slice(span.end);
  }

  return result;
}

/** Adds a property as the object's first member. */
export function insertTopLevelValue(text: string, key: string, json: string): string {
  const open = text.indexOf('{');
  const rest = skipSpace(text, open + 1);
  const separator = text[rest] === '}' ? '' : ',';

  return `${text.slice(0, open + 1)}${JSON.stringify(key)}:${json}${separator}${text.slice(open + 1)}`;
}

function skipSpace(text: string, i: number): number {
  while (
    i < text.length &&
    (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')
  ) {
    i++;
  }

  return i;
}

function skipString(text: string, i: number): number {
  i++;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;

  return i + 1;
}

function skipValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return skipString(text, i);
  if (first !== '{' && first !== '[') {
    while (i < text.length && !',}] \n\r\t'.includes(text[i])) i++;

    return i;
  }
  let depth = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    i++;
    if (depth === 0) return i;
  }

  return i;
}
