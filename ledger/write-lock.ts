/**
 * Per-file write serialisation for SQLite ledgers inside one process.
 *
 * better-sqlite3 is synchronous: when a second connection in the same process finds the write
 * lock taken, `busy_timeout` makes it sleep *on the event loop thread*, so the first connection's
 * transaction — waiting for its next `await` — can never finish, and the sleeper ends with
 * SQLITE_BUSY. Writers in this process therefore queue on an async mutex per database file;
 * `busy_timeout` is left to arbitrate between processes, where blocking one thread is harmless.
 */

const tails = new Map<string, Promise<void>>();

export function fileWriteLock(file: string): <T>(work: () => Promise<T>) => Promise<T> {
  return async <T>(work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(file) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    tails.set(file, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      // Drop the entry once nobody queues behind us, so closed ledgers leave nothing behind.
      if (tails.get(file) === tail) tails.delete(file);
    }
  };
}

/** For databases no other connection can see (`:memory:`, PostgreSQL): no serialisation. */
export function noWriteLock<T>(work: () => Promise<T>): Promise<T> {
  return work();
}
