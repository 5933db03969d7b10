/**
 * Serialising two sends of one delivery key into a PostgreSQL or KingbaseES exchange table that has
 * no unique index on the key (./key-unique.ts), where rows go in by leaving out the keys already
 * held, then inserting the others (./insert-new-keys.ts `plain`). Two sends at once (two workers, a
 * retry racing a first attempt that outlived its lease) both read a key as absent — READ COMMITTED
 * sees no row not yet committed — and both inserted it: the license twice in the exchange table.
 * A transaction-scoped advisory lock per key, taken before the read, makes the second send wait
 * for the first's commit, then read its row and insert nothing.
 *
 * Each advisory lock held is an entry in the server's one lock table, sized at
 * `max_locks_per_transaction` (64 by default) per connection, shared with every other session:
 * a deliver job's 500 keys took 500 entries, a few workers' sends several thousand, and a server
 * whose table filled answered "out of shared memory" (53200) to any session taking a lock, the
 * exchange system's own included. So a send of up to `KEY_LOCKS_MAX` keys takes the table's lock
 * shared and then its keys' locks; a larger one takes the table's lock alone, exclusive: it waits
 * for the smaller sends under way and they for it, and sends of many keys into one table go one at
 * a time.
 *
 * The lock ids are derived from the table as configured and the key (`keyLockId`, `tableLockId`):
 * two licbridge versions writing one table at once (a rolling upgrade) keep each other out only
 * while both derive them alike, so the derivation is kept as it is
 * (test/platforms/front-db-key-lock-id.test.ts pins it).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { StatementDeadline } from './insert-new-keys.js';
import type { NamePrefix } from './kingbase-names.js';

/**
 * The advisory lock id of `key` in `table`: the first 8 bytes of SHA-256 over both, as the signed
 * 64-bit integer `pg_advisory_xact_lock(bigint)` takes (PostgreSQL's own `hashtextextended` is not
 * in PostgreSQL before 11, nor in every KingbaseES). Two keys of one id only wait for each other.
 */
export function keyLockId(table: string, key: string): bigint {
  return lockId(`${table}\0${key}`);
}

/** The advisory lock id of `table` itself, as `keyLockId` derives it (no table name holds a NUL). */
export function tableLockId(table: string): bigint {
  return lockId(table);
}

function lockId(text: string): bigint {
  return createHash('sha256').update(text).digest().readBigInt64BE(0);
}

/** The prefix of the advisory lock functions: PostgreSQL's `pg_`, KingbaseES's `sys_` (./kingbase-names.ts). */
export type LockPrefix = NamePrefix;

/** Keys a send locks one by one; a send of more takes its table's lock alone (the docblock above). */
export const KEY_LOCKS_MAX = 64;

/**
 * Takes the advisory locks of `keys` (see above) for the rest of `trx`, which must not have run a
 * statement yet. The table's lock first, then the keys' in ascending order: two sends of the same
 * keys in another order would otherwise each hold one and wait for the other (a deadlock, one send
 * failed). The transaction is READ COMMITTED first: under a database's
 * `default_transaction_isolation` of REPEATABLE READ its snapshot would be taken by the lock's own
 * statement, before the wait, and the read after it would still miss the row the first send
 * committed meanwhile. Each wait is bounded by the delivery's time: a send still waiting then fails
 * as any statement out of time does (retryable). A no-op on other databases: SQLite runs one writing
 * transaction at a time, and MySQL, SQL Server, Oracle and DM keep the window (docs/sync.md).
 */
export async function lockKeys(
  trx: Knex.Transaction,
  table: string,
  keys: readonly string[],
  deadline: StatementDeadline,
  /** The name the database answers to: `sys_advisory_*` on a KingbaseES that has them (./kingbase-names.ts). */
  prefix: LockPrefix = 'pg_',
): Promise<void> {
  if ((trx.client as { dialect?: string }).dialect !== 'postgresql' || keys.length === 0) return;
  const ids = [...new Set(keys.map((key) => keyLockId(table, key)))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const run = (sql: string, binding: string | string[]) =>
    trx.raw(sql, [binding]).timeout(deadline.remainingMs(), { cancel: deadline.cancel });
  await trx.raw('set transaction isolation level read committed');
  const tableId = String(tableLockId(table));
  if (ids.length > KEY_LOCKS_MAX) {
    await run(`select ${prefix}advisory_xact_lock(?::bigint)`, tableId);
    return;
  }
  await run(`select ${prefix}advisory_xact_lock_shared(?::bigint)`, tableId);
  // One statement for the keys: a function scan hands the aggregate the array's items in order.
  await run(
    `select count(${prefix}advisory_xact_lock(id)) from unnest(?::bigint[]) as ids(id)`,
    ids.map(String),
  );
}
