/**
 * A least-recently-used map bounded both by entry count and by total bytes,
 * for the isolate-global read cache. A Map keeps insertion order, so
 * re-inserting on every hit makes its first key the least recently used.
 */
export interface LruLimits {
  maxEntries: number;
  maxBytes: number;
}

export class Lru<V> {
  readonly #map = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;

  constructor(readonly limits: LruLimits) {}

  get(key: string): V | undefined {
    const e = this.#map.get(key);
    if (!e) return undefined;
    this.#map.delete(key);
    this.#map.set(key, e);
    return e.value;
  }

  /** Stores a value; one larger than a quarter of the byte budget is not kept (it would flush the rest). */
  set(key: string, value: V, bytes: number): boolean {
    this.delete(key);
    if (bytes > this.limits.maxBytes / 4) return false;
    this.#map.set(key, { value, bytes });
    this.#bytes += bytes;
    while (this.#map.size > this.limits.maxEntries || this.#bytes > this.limits.maxBytes) {
      const oldest = this.#map.keys().next().value as string;
      this.delete(oldest);
    }
    return true;
  }

  delete(key: string): void {
    const e = this.#map.get(key);
    if (!e) return;
    this.#map.delete(key);
    this.#bytes -= e.bytes;
  }

  clear(): void {
    this.#map.clear();
    this.#bytes = 0;
  }

  get size(): number {
    return this.#map.size;
  }

  get bytes(): number {
    return this.#bytes;
  }
}
