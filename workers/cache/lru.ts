/**
 * The isolate-global read cache's store: lru-cache bounded both by entry
 * count and by total bytes. One entry may take at most a quarter of the byte
 * budget, so a single large answer cannot flush everything else.
 */
import { LRUCache } from "lru-cache";

export interface LruLimits {
  maxEntries: number;
  maxBytes: number;
}

export class Lru<V extends {}> {
  readonly #cache: LRUCache<string, V>;

  constructor(readonly limits: LruLimits) {
    this.#cache = new LRUCache<string, V>({ max: limits.maxEntries, maxSize: limits.maxBytes, maxEntrySize: limits.maxBytes / 4 });
  }

  get(key: string): V | undefined {
    return this.#cache.get(key);
  }

  /** Stores a value of `bytes` bytes; false when it is over the per-entry limit and was not kept. */
  set(key: string, value: V, bytes: number): boolean {
    this.#cache.delete(key);
    if (bytes > this.limits.maxBytes / 4) return false;
    this.#cache.set(key, value, { size: Math.max(1, bytes) });
    return true;
  }

  delete(key: string): void {
    this.#cache.delete(key);
  }

  clear(): void {
    this.#cache.clear();
  }

  get size(): number {
    return this.#cache.size;
  }

  get bytes(): number {
    return this.#cache.calculatedSize;
  }
}
