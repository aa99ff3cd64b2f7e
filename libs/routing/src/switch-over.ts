import { MAX_LEVEL, MIN_LEVEL, parseLevel } from './levels';
import { MapperItem, splitMapperItems } from './mapper-items';
import { MapperErrorCode, MapperSyntaxException } from './mapper-syntax.exception';

/**
 * Where to go when every key of a level is exhausted, e.g. `1=2,2=3`. Each level has at most
 * one next level, and the rules never lead back to a level already visited, so following them
 * always ends. Both are checked at parse time.
 */
export class SwitchOver {
  private constructor(private readonly targets: ReadonlyMap<number, number>) {}

  /**
   * Parses a SwitchOver string; the empty string has no rules. Both sides are levels (whole
   * numbers from 1 to 1000).
   * @throws MapperSyntaxException naming the first bad item, a repeated source level, or the
   *   item that closes a cycle (`1=2,2=1`, `1=1`)
   */
  static parse(text: string): SwitchOver {
    const targets = new Map<number, number>();
    const positions = new Map<number, number>();
    for (const item of splitMapperItems('SwitchOver', text)) {
      const from = levelOf(item, item.pattern);
      const to = levelOf(item, item.value);
      refuseRepeatOrCycle(item, from, to, targets, positions);
      targets.set(from, to);
      positions.set(from, item.position);
    }

    return new SwitchOver(targets);
  }

  /** The level to try after `level`, or `undefined` when there is none. */
  next(level: number): number | undefined {
    return this.targets.get(level);
  }

  /** The levels to try in order, starting with `level` itself, e.g. `[1, 2, 3]` for `1=2,2=3`. */
  chain(level: number): number[] {
    const levels = [level];
    for (let next = this.next(level); next !== undefined; next = this.next(next)) {
      levels.push(next);
    }

    return levels;
  }

  /** The canonical text: `from=to` items joined by `,`, in written order. */
  toString(): string {
    return [...this.targets].map(([from, to]) => `${from}=${to}`).join(',');
  }
}

function levelOf(item: MapperItem, text: string): number {
  const level = parseLevel(text);
  if (level === undefined) {
    throw refuse(
      item,
      MapperErrorCode.InvalidLevel,
      `has level "${text}", which is not a whole number from ${MIN_LEVEL} to ${MAX_LEVEL}`,
    );
  }

  return level;
}

function refuseRepeatOrCycle(
  item: MapperItem,
  from: number,
  to: number,
  targets: ReadonlyMap<number, number>,
  positions: ReadonlyMap<number, number>,
): void {
  const earlier = positions.get(from);
  if (earlier !== undefined) {
    const problem = `repeats level ${from} (item ${earlier})`;
    throw refuse(item, MapperErrorCode.DuplicateSource, problem);
  }
  const cycle = pathBack(targets, to, from);
  if (cycle) {
    throw refuse(item, MapperErrorCode.Cycle, `closes a cycle ${[from, ...cycle].join(' → ')}`);
  }
}

/** The levels walked from `start` until `goal` is reached, or `undefined` if it never is. */
function pathBack(
  targets: ReadonlyMap<number, number>,
  start: number,
  goal: number,
): number[] | undefined {
  const path: number[] = [];
  // The rules seen so far have no cycle, so this walk ends after at most `targets.size` steps.
  for (let level: number | undefined = start; level !== undefined; level = targets.get(level)) {
    path.push(level);
    if (level === goal) return path;
  }

  return undefined;
}

function refuse(item: MapperItem, code: MapperErrorCode, problem: string): MapperSyntaxException {
  return new MapperSyntaxException(code, 'SwitchOver', item.position, item.text, problem);
}
