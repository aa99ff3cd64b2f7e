/** The label value that stands for every value past the cap. */
export const OTHER_VALUE = '_other';

/**
 * Keeps a label's cardinality bounded when its values come from callers (model names pass
 * through the router unchanged when no rule matches them): the first `max` distinct values are
 * kept as they are, later ones are reported as {@link OTHER_VALUE}. Long values are cut.
 */
export class BoundedValues {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly maxLength = 64,
  ) {}

  /** The value to use as a label for `value`. */
  of(value: string): string {
    const cut = value.length > this.maxLength ? value.slice(0, this.maxLength) : value;
    if (this.seen.has(cut)) return cut;
    if (this.seen.size >= this.max) return OTHER_VALUE;

    this.seen.add(cut);

    return cut;
  }
}
