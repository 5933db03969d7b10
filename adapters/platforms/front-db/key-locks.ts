/**
 * Serialising two sends of one delivery key into a PostgreSQL or KingbaseES exchange table that has
 * no unique index on the key (./key-unique.ts), where rows go in by leaving out the keys already
 * held, then inserting the others (./insert-new-keys.ts `plain`). Two sends at once (two workers, a
 * retry racing a first attempt that outlived its lease) both read a key as absent — READ COMMITTED
 * sees no row not yet committed — and both inserted it: the license twice in the exchange table.
 * A transaction-scoped advisory lock per key, taken before the read, makes the second send wait
 * for the first's commit, then read its row and insert nothing.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { StatementDeadline } from './insert-new-keys.js';

/**
 * The advisory lock id of `key` in `table`: the first 8 bytes of SHA-256 over both, as the signed
 * 64-bit integer `pg_advisory_xact_lock(bigint)` takes (PostgreSQL's own `hashtextextended` is not
 * in PostgreSQL before 11, nor in every KingbaseES). Two keys of one id only wait for each other.
 */
export function keyLockId(table: string, key: string): bigint {
  return createHash('sha256').update(`${table}\0${key}`).digest().readBigInt64BE(0);
}

/**
 * Takes the advisory lock of each of `keys` for the rest of `trx`, which must not have run a
 * statement yet. Ids in ascending order: two sends of the same keys in another order would
 * otherwise each hold one and wait for the other (a deadlock, one send failed). The transaction is
 * READ COMMITTED first: under a database's `default_transaction_isolation` of REPEATABLE READ its
 * snapshot would be taken by the lock's own statement, before the wait, and the read after it would
 * still miss the row the first send committed meanwhile. The wait is bounded by the delivery's time.
 * A no-op on other databases: SQLite runs one writing transaction at a time, and MySQL, SQL Server,
 * Oracle and DM keep the window (docs/sync.md).
 */
export async function lockKeys(
  trx: Knex.Transaction,
  table: string,
  keys: readonly string[],
  deadline: StatementDeadline,
): Promise<void> {
  if ((trx.client as { dialect?: string }).dialect !== 'postgresql' || keys.length === 0) return;
  const ids = [...new Set(keys.map((key) => keyLockId(table, key)))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  await trx.raw('set transaction isolation level read committed');
  // One statement for the batch: a function scan hands the aggregate the array's items in order.
  await trx
    .raw('select count(pg_advisory_xact_lock(id)) from unnest(?::bigint[]) as ids(id)', [ids.map(String)])
    .timeout(deadline.remainingMs(), { cancel: deadline.cancel });
}
