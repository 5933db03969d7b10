/**
 * Whether the exchange table holds a delivery's row as a send of it writes it. Asked for a send
 * whose answer was lost (a timeout, the connection cut after the commit) when the status request
 * then finds its row undecided (`EXCHANGE_STATUS` `0` or a `pending` code): the deliver stage keeps
 * such a delivery `submitted` and does not send it again, which would only find the row held and
 * answer the delivery as a duplicate. But a table without transactions (MyISAM) keeps a row a send
 * stored cut, or with `?` for characters its character set lacks, when that send failed before
 * taking it out (./verify-stored.ts): undecided, it reads as held all the same, and only the send
 * that finds it and compares it rejects the delivery. So a row counts as held only once it is read
 * back here equal, column by column as a send compares it, to what the send writes.
 */
import type { Knex } from 'knex';
import { COLUMNS, keyOf, rowsOfKeys } from './exchange-table.js';
import type { StatementDeadline } from './insert-new-keys.js';
import { CHECKED, differingColumns } from './verify-stored.js';

/**
 * The keys among `rows` (as `exchangeRows` builds them) whose every row in `table` is stored as
 * written in the columns a send checks. A key with no row, or with one row that differs in any
 * way (damaged, or written otherwise by an earlier send: the codes or the seal changed since), is
 * left out: the delivery is sent again, and that send tells the two apart.
 */
export async function keysStoredAsSent(
  k: Knex,
  table: string,
  rows: readonly Record<string, unknown>[],
  deadline: StatementDeadline,
  keyPadTo?: number,
): Promise<Set<string>> {
  const written = new Map(rows.map((r) => [r[COLUMNS.key] as string, r]));
  const keys = [...written.keys()];
  const asSent = new Set<string>();
  const otherwise = new Set<string>();
  for await (const stored of rowsOfKeys(k, table, [COLUMNS.key, ...CHECKED], keys, keyPadTo, deadline)) {
    for (const s of stored) {
      const key = keyOf(s);
      const row = written.get(key);
      if (!row) continue;
      // A key holding two rows (a table whose key is not unique) counts only when both are as sent.
      if (differingColumns(s, row).length === 0) asSent.add(key);
      else otherwise.add(key);
    }
  }
  for (const key of otherwise) asSent.delete(key);
  return asSent;
}
