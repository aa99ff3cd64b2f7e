/** Matches any run of characters, including none. */
const ANY_RUN = '*';
/** Matches exactly one character. */
const ANY_ONE = '?';

/** A run of pattern characters between two `*`; `?` in it matches any one character. */
type Segment = readonly string[];

/**
 * A model-name pattern: `*` matches any run of characters, `?` exactly one, everything else
 * itself (case-sensitive). Matching never backtracks: the pattern is cut at each `*`, the first
 * and last pieces are anchored, and the pieces in between are placed at their leftmost fit,
 * which is enough for `*`. A match costs at most O(name length × pattern length).
 */
export class GlobPattern {
  /** Number of characters that are neither `*` nor `?`; more means more specific. */
  readonly literalCount: number;
  /** True when the pattern has no wildcard at all. */
  readonly isExact: boolean;
  private readonly segments: readonly Segment[];

  /** Compiles `source`; any string is a valid pattern. */
  constructor(readonly source: string) {
    const characters = Array.from(source);
    this.literalCount = characters.filter((c) => c !== ANY_RUN && c !== ANY_ONE).length;
    this.isExact = this.literalCount === characters.length;
    this.segments = source.split(ANY_RUN).map((piece) => Array.from(piece));
  }

  /** Whether `name` matches the whole pattern. */
  matches(name: string): boolean {
    if (this.isExact) return name === this.source;

    return this.matchesCharacters(Array.from(name));
  }

  private matchesCharacters(name: readonly string[]): boolean {
    const first = this.segments[0];
    if (this.segments.length === 1) return first.length === name.length && fitsAt(first, name, 0);

    const last = this.segments[this.segments.length - 1];
    const end = name.length - last.length;
    if (first.length > end || !fitsAt(first, name, 0) || !fitsAt(last, name, end)) return false;

    let position = first.length;
    for (const segment of this.segments.slice(1, -1)) {
      const found = leftmostFit(segment, name, position, end);
      if (found === undefined) return false;
      position = found + segment.length;
    }

    return true;
  }
}

function fitsAt(segment: Segment, name: readonly string[], start: number): boolean {
  for (let i = 0; i < segment.length; i++) {
    if (segment[i] !== ANY_ONE && segment[i] !== name[start + i]) return false;
  }

  return true;
}

/** The first start in `[from, end - segment.length]` where `segment` fits. */
function leftmostFit(
  segment: Segment,
  name: readonly string[],
  from: number,
  end: number,
): number | undefined {
  for (let start = from; start + segment.length <= end; start++) {
    if (fitsAt(segment, name, start)) return start;
  }

  return undefined;
}
