interface Entry<V> {
  value: V;
  storedAt: number;
  expiresAt: number;
  group?: string;
}

/**
 * A bounded in-memory map whose entries expire, optionally tagged with a group (a tenant id)
 * so that all of a group's entries can be dropped at once. When full, the oldest insertion is
 * evicted first. An optional `maxAgeMs` bound, asked on every read, shortens every entry's life
 * while it is set (for example while invalidation events cannot arrive).
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly maxAgeMs: () => number | undefined = () => undefined,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = Date.now();
    const maxAge = this.maxAgeMs();
    if (entry.expiresAt <= now || (maxAge !== undefined && now - entry.storedAt > maxAge)) {
      this.entries.delete(key);

      return undefined;
    }

    return entry.value;
  }

  set(key: K, value: V, group?: string, ttlMs = this.ttlMs): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const now = Date.now();
    this.entries.set(key, { value, storedAt: now, expiresAt: now + ttlMs, group });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  deleteGroup(group: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.group === group) this.entries.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
