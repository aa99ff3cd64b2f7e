/**
 * Values built once per key and kept, up to `max` keys. When full it starts over: keys that
 * come and go (ids a caller chose) cannot grow it, and the keys in steady use are built again
 * at once.
 */
export class BoundedMemo<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly max: number) {}

  /** The value kept for `key`, built by `build` when there is none. */
  get(key: string, build: () => V): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = build();
      if (this.values.size >= this.max) this.values.clear();
      this.values.set(key, value);
    }

    return value;
  }
}
