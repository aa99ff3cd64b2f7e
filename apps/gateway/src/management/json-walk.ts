/** The longest field path named; a longer one is cut short. */
const MAX_PATH_LENGTH = 200;

/** Where a value sits: its key in the object or array holding it, and where that sits. */
interface Place {
  key?: string;
  parent?: Place;
}

/** What a look found, and where: the field path of the value (empty for the body itself). */
export interface FoundInJson<T> {
  found: T;
  path: string;
}

/**
 * Looks at every value of a parsed JSON body (the body itself, then what its objects and arrays
 * hold) until `look` returns something, and returns that with where it was (`Config.models.0`,
 * at most 200 characters). Walked with a list rather than by recursion, so no body can exhaust
 * the stack; a place is kept only for an object or an array, and a path is spelt out only for
 * what is found, so a body of millions of values costs one pass and no more memory than a few
 * of its objects. The management API runs it before authentication.
 */
export function findInJson<T>(
  root: unknown,
  look: (value: unknown) => T | undefined,
): FoundInJson<T> | undefined {
  const found = look(root);
  if (found !== undefined) return { found, path: '' };
  const pending: Array<{ value: object; place: Place }> = [];
  if (typeof root === 'object' && root !== null) pending.push({ value: root, place: {} });
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, place } = next;
    const keys = Array.isArray(value) ? undefined : Object.keys(value);
    const count = keys ? keys.length : (value as unknown[]).length;
    for (let index = 0; index < count; index++) {
      const key = keys ? keys[index] : index;
      const child: unknown = (value as Record<string | number, unknown>)[key];
      const inChild = look(child);
      if (inChild !== undefined)
        return { found: inChild, path: pathOf({ key: `${key}`, parent: place }) };
      if (typeof child === 'object' && child !== null) {
        pending.push({ value: child, place: { key: `${key}`, parent: place } });
      }
    }
  }

  return undefined;
}

function pathOf(place: Place): string {
  const keys: string[] = [];
  for (let at: Place | undefined = place; at?.key !== undefined; at = at.parent) keys.push(at.key);
  const path = Array.from(keys.reverse().join('.'));

  return path.length > MAX_PATH_LENGTH
    ? `${path.slice(0, MAX_PATH_LENGTH).join('')}…`
    : path.join('');
}
