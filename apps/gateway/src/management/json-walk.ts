/** The longest field path named; a longer one is cut short. */
const MAX_PATH_LENGTH = 200;

/** A value met on the walk, with how to name where it is. */
interface Visit {
  value: unknown;
  key?: string;
  parent?: Visit;
}

/**
 * Visits every value of a parsed JSON body (objects, arrays and what they hold) until `visit`
 * returns something, and returns that. Walked with a list rather than by recursion, so no body
 * can exhaust the stack; `path` spells out where the value is (`Config.models.0`, at most 200
 * characters, empty for the body itself) only when asked, so a deep body costs no more than
 * its size.
 */
export function findInJson<T>(
  root: unknown,
  visit: (value: unknown, path: () => string) => T | undefined,
): T | undefined {
  const pending: Visit[] = [{ value: root }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const at = next;
    const found = visit(at.value, () => pathOf(at));
    if (found !== undefined) return found;
    if (typeof at.value !== 'object' || at.value === null) continue;
    for (const [key, value] of Object.entries(at.value)) pending.push({ value, key, parent: at });
  }

  return undefined;
}

function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) keys.push(at.key);
  const path = Array.from(keys.reverse().join('.'));

  return path.length > MAX_PATH_LENGTH
    ? `${path.slice(0, MAX_PATH_LENGTH).join('')}…`
    : path.join('');
}
