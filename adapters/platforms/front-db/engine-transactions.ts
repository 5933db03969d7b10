/**
 * Whether a MySQL or MariaDB exchange table is of an engine without transactions (MyISAM, Aria,
 * MEMORY). There a row is the exchange system's to see, and to take out, from its insert on,
 * before the send has read it back: one taken in between leaves the send nothing to answer from,
 * and sending it again delivered it twice (./write-batch.ts). A view has no engine of its own and
 * is taken as one with transactions.
 */
import type { Knex } from 'knex';
import { tableParts } from './exchange-table.js';
import type { StatementDeadline } from './insert-new-keys.js';

/** The engine of `table` when it keeps no transactions (`MyISAM`); undefined when it does, or is not known. */
export async function engineWithoutTransactions(
  k: Knex,
  table: string,
  deadline: StatementDeadline,
): Promise<string | undefined> {
  const { schema, name } = tableParts(table);
  const [rows] = (await k
    .raw(
      `select t.engine as engine, e.transactions as tx from information_schema.tables t
       join information_schema.engines e on e.engine = t.engine
       where t.table_schema = coalesce(?, database()) and t.table_name = ?`,
      [schema ?? null, name],
    )
    .timeout(deadline.remainingMs(), { cancel: deadline.cancel })) as [
    { engine: string; tx: string | null }[],
  ];
  const [row] = rows;
  return row?.tx === 'NO' ? row.engine : undefined;
}
