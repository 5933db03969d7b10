/**
 * The connections of a front-db target (./front-db-target.ts): one knex instance and its pool,
 * opened on the first step that needs them and checked before any statement of that step, left to
 * close in the background when the database stops answering, and closed with the target.
 */
import type { Knex } from 'knex';
import { destroySoon } from './silent-database.js';

/** A knex instance a step runs its statements on, and the opening it came from (`abandon`). */
export interface OpenedDatabase {
  k: Knex;
  opened: Promise<Knex>;
}

export class FrontDbConnections {
  private knexPromise: Promise<Knex> | undefined;

  /**
   * `connect`: a knex instance on the front database, nothing asked of it yet. `prepare`: what is
   * asked of it before any step runs (the exchange table made and checked); should it fail, the
   * instance is closed and the next step opens anew.
   */
  constructor(
    private readonly connect: () => Promise<Knex>,
    private readonly prepare: (k: Knex) => Promise<void>,
  ) {}

  /** The knex instance, opened and prepared once. */
  private open(): Promise<Knex> {
    this.knexPromise ??= (async () => {
      const k = await this.connect();
      try {
        await this.prepare(k);
      } catch (e) {
        await destroySoon(k);
        throw e;
      }
      return k;
    })();
    return this.knexPromise;
  }

  /** The knex instance a step runs on; an opening that failed is forgotten, so the next step opens again. */
  async take(): Promise<OpenedDatabase> {
    const opened = this.open();
    const k = await opened.catch((e: unknown) => {
      this.knexPromise = undefined;
      throw e;
    });
    return { k, opened };
  }

  /**
   * Leaves the connections of `opened` to a database that stopped answering (./silent-database.ts):
   * the next step opens new ones. They are closed in the background, never awaited, as a pool
   * waits for the connection still in use.
   */
  abandon(opened: Promise<Knex>): void {
    if (this.knexPromise !== opened) return;
    this.knexPromise = undefined;
    void opened.then(destroySoon).catch(() => undefined);
  }

  /**
   * Closes the connections, waiting 2 s at most for one a step still holds (./silent-database.ts
   * `destroySoon`): a database that stopped answering never lets it go, and a stopping worker
   * waited for it forever. That step then fails, retryable.
   */
  async close(): Promise<void> {
    const p = this.knexPromise;
    this.knexPromise = undefined;
    const k = await p?.catch(() => undefined);
    if (k) await destroySoon(k);
  }
}
