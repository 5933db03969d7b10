/**
 * Every read of a source runs inside a transaction that is read-only from its first statement,
 * and ends in ROLLBACK. A session default (PostgreSQL `default_transaction_read_only`, MySQL
 * `SET SESSION TRANSACTION READ ONLY`) is not enough: a query — or a function it calls — can
 * switch the default off with `set_config(…)` and every later page on that pooled connection
 * writes. A transaction opened READ ONLY stays read-only whatever runs inside it, and the ROLLBACK
 * undoes anything a dialect without read-only transactions (SQL Server) let through.
 */
import type { Knex } from 'knex';

export interface ReadTransactionShape {
  /** Passed to knex: `{ readOnly: true }` opens `BEGIN TRANSACTION READ ONLY` (PostgreSQL). */
  readonly config: Knex.TransactionConfig;
  /** A statement run first inside the transaction (Oracle's `SET TRANSACTION READ ONLY`). */
  readonly first?: string;
}

/**
 * A shape's `first`, handed to knex with the transaction's config: a client that sends it with
 * its BEGIN, in the same round trip (postgres/knex-client.ts), sets `sent`; else it runs after.
 */
export interface FirstWithBegin {
  readonly first: string;
  sent: boolean;
}

const FIRST_WITH_BEGIN = 'firstWithBegin';

/** The `first` a transaction's config carries (inReadTransaction), for its client's BEGIN. */
export function firstWithBegin(config: unknown): FirstWithBegin | undefined {
  return (config as Record<string, FirstWithBegin | undefined> | null | undefined)?.[FIRST_WITH_BEGIN];
}

/**
 * knex's transaction as its dialects' clients make one (knex/lib/execution/transaction.js), for
 * the read transactions that open in one round trip (postgres/knex-client.ts, mysql/read-begin.ts).
 */
export interface KnexTransaction {
  readonly isolationLevel?: string;
  readonly readOnly?: boolean;
  begin(conn: unknown): Promise<unknown>;
  query(conn: unknown, sql: string): Promise<unknown>;
}
export type KnexTransactionClass<T extends KnexTransaction = KnexTransaction> = new (
  client: unknown,
  container: unknown,
  config: unknown,
  outerTx: unknown,
) => T;

/** Runs `read` in a fresh transaction of the given shape on one pooled connection, then rolls back. */
export async function inReadTransaction<T>(
  db: Knex,
  shape: ReadTransactionShape,
  read: (trx: Knex) => PromiseLike<T>,
): Promise<T> {
  const first: FirstWithBegin | undefined =
    shape.first === undefined ? undefined : { first: shape.first, sent: false };
  const trx = await db.transaction({ ...shape.config, [FIRST_WITH_BEGIN]: first } as Knex.TransactionConfig);
  try {
    if (first && !first.sent) await trx.raw(first.first);
    return await read(trx);
  } catch (error) {
    // A connection lost mid-read ends the transaction inside knex, and the read then fails with
    // "Transaction query already complete": hand on the error that ended it (the lost
    // connection), which the connector knows to reconnect from.
    if (error instanceof Error && /already complete/i.test(error.message)) {
      const cause: unknown = await trx.executionPromise.then(
        () => undefined,
        (e: unknown) => e,
      );
      if (cause instanceof Error) throw cause;
    }
    throw error;
  } finally {
    // A read commits nothing. A failed rollback (the connection is gone) must not hide the
    // read's own error; the pool discards a broken connection.
    await trx.rollback().catch(() => undefined);
  }
}
