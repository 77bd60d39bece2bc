/** Decoded chunks kept per adapter: 256 numeric chunks are about 16 MB of typed arrays. */
export const CHUNK_CACHE_ENTRIES = 256;

/** A small least-recently-used cache, for decoded chunks and rollup periods (immutable values). */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  /**
   * A copy of the cached entries (without refreshing them): a reader that asks the database to
   * skip sending what is cached keeps the values it relies on even if they are evicted meanwhile.
   */
  snapshot(): Map<K, V> {
    return new Map(this.entries);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
