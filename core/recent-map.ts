/**
 * A map of at most `limit` entries that lets the least recently used go first: what a long-running
 * process keeps of things it builds again and again (compiled schemas, catalogs, mappings, parsed
 * files), bounded so that one reloading edited files does not hold every version it ever built.
 * A Map iterates in insertion order, so re-inserting an entry makes it the most recent and the
 * first key is the one to let go.
 */
export class RecentMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly limit: number) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The entry of `key`, made the most recent. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** The entry of `key`, left where it stands. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Keeps `value` under `key` as the most recent, letting the least recent go past the limit. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.limit) this.#entries.delete(this.#entries.keys().next().value as K);
  }
}
