/**
 * Reuses attribute objects on a hot path: one object per distinct label set, built once, so a
 * recording allocates nothing. Past `max` label sets, objects are built per call and not kept
 * (the labels themselves must be bounded anyway, see {@link BoundedValues}).
 */
export class AttributeCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly max = 2_000) {}

  /** The object kept for `key`, built by `build` the first time. */
  get(key: string, build: () => T): T {
    const found = this.entries.get(key);
    if (found !== undefined) return found;

    const built = build();
    if (this.entries.size < this.max) this.entries.set(key, built);

    return built;
  }
}
