/**
 * A front database that stops answering altogether: a network path that drops every packet, a
 * frozen server, a firewall that holds connections open. knex bounds each statement licbridge runs
 * (`timeoutMs`), but not the `BEGIN` and `COMMIT` of a transaction, and cancelling a statement out
 * of time (PostgreSQL, MySQL) opens a new connection, which such a server takes and never answers:
 * a send then waited forever, holding its deliver job past the lease sized on `timeoutMs` and a
 * connection of the pool for good. So a step still running a little after its own deadline is
 * given up, failing as a statement out of time does (retryable), and the target's connections are
 * made anew for the next step (./front-db-target.ts).
 */

/**
 * How long after its deadline a step is given up: time for knex's own timeout, and a cancel the
 * database answers, to report first, as they do for a table locked or a statement slow.
 */
export const SILENT_GRACE_MS = 2_000;

import type { Knex } from 'knex';

/** The error a step given up rejects with: named as knex's own timeout, and reported so (./front-db-errors.ts). */
function givenUp(): Error {
  const e = new Error('front database: no answer by the deadline');
  e.name = 'KnexTimeoutError';
  return e;
}

/**
 * `work`, or a rejection `SILENT_GRACE_MS` after `endsAt` if it has not settled by then, `onGiveUp`
 * called first. `work` is left running (nothing can stop it) and its outcome ignored.
 */
export async function orGiveUp<T>(work: Promise<T>, endsAt: number, onGiveUp: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        onGiveUp();
        reject(givenUp());
      },
      Math.max(0, endsAt - Date.now()) + SILENT_GRACE_MS,
    );
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes `k`'s connections, waiting `SILENT_GRACE_MS` at most: a pool waits for a connection still
 * in use, or still being made, which a database that stopped answering never lets go; the rest of
 * the closing then goes on in the background.
 */
export async function destroySoon(k: Knex): Promise<void> {
  await orGiveUp(k.destroy(), Date.now(), () => undefined).catch(() => undefined);
}
