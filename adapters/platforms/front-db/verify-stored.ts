/**
 * Writing a batch's rows and checking, in the same transaction, that the database stored what was
 * written. Some front databases store something else without an error: MySQL without strict mode
 * cuts a value to its column and turns characters the column's character set lacks into `?`, with
 * only a warning; SQL Server does the latter for a varchar column in any mode. Such a row would be
 * picked up by the exchange system with a cut payload or a holder's name full of `?`, and
 * reported accepted. It is taken out again before the commit, so nothing altered is ever visible.
 */
import type { Knex } from 'knex';
import { removeRefusedRows } from './exchange-status.js';
import { COLUMNS, keyBinds, keyOf } from './exchange-table.js';
import { type DuplicateStyle, insertNewKeys, type StatementDeadline } from './insert-new-keys.js';
import { lockKeys } from './key-locks.js';
import { plainNumber } from './plain-number.js';

/**
 * The columns compared: every text a row carries of its license — the identifiers and codes the
 * exchange system files it under, the license as the platform reads it, and its signature. A
 * city's `ZZBS` or `LICENSE_ID` narrower than an identifier was cut there unnoticed, and the
 * license filed under another's number.
 */
const CHECKED = [
  COLUMNS.licenseId,
  COLUMNS.identifier,
  COLUMNS.opCode,
  COLUMNS.status,
  COLUMNS.payload,
  COLUMNS.signature,
] as const;

/**
 * Whether a stored value is the written one. CHAR padding aside; a numeric column (a city's CZLX
 * or ZZZT as `numeric`/`DECIMAL`, handed back as text by PostgreSQL and MySQL drivers) holds the
 * code `01` as `1`, which is the same number, not a cut value: compared as text, every row of
 * such a table was taken out and its delivery rejected. A value the driver hands back in a form
 * that is no text (a number, an Oracle LOB handle) cannot be compared here and is taken as written.
 */
function storedAsWritten(stored: unknown, written: string): boolean {
  if (typeof stored === 'string') {
    if (stored.trimEnd() === written.trimEnd()) return true;
    const number = plainNumber(stored);
    return number !== undefined && number === plainNumber(written);
  }
  if (Buffer.isBuffer(stored)) return stored.toString('utf8').trimEnd() === written.trimEnd();
  return true;
}

/** Whether a batch number read back is `batch`: a CHAR column hands it back padded to its width. */
export function sameBatch(read: unknown, batch: string): boolean {
  return typeof read === 'string' && read.trimEnd() === batch;
}

export interface WriteOptions {
  style: DuplicateStyle;
  chunk: number;
  deadline: StatementDeadline;
  /** This call's batch number: rows with another one were there before and are not checked. */
  batch: string;
  /**
   * `EXCHANGE_STATUS` codes of rows the exchange system refused (`exchangeStatus.rejected`): such a
   * row of a key written again is taken out first, so the new one is offered anew. @defaultValue none
   */
  refusedCodes?: readonly string[];
  /** `EXCHANGE_STATUS` is a numeric column: `refusedCodes` compare by value. @defaultValue false */
  statusIsNumber?: boolean;
  /**
   * Width of a `CHAR` key column compared without blank-padding (Oracle): every lookup by key binds
   * the keys padded to it (./exchange-table.ts `keyBinds`). @defaultValue none
   */
  keyPadTo?: number;
}

/**
 * Inserts the rows whose key is new (after taking out refused rows of these keys, when
 * `refusedCodes` is given), then reads back the ones this batch wrote and deletes those
 * stored other than written. Returns, by delivery key, the first column found altered.
 */
export async function writeAndVerify(
  trx: Knex.Transaction,
  table: string,
  rows: readonly Record<string, unknown>[],
  options: WriteOptions,
): Promise<Map<string, string>> {
  const { style, chunk, deadline, batch, refusedCodes, keyPadTo } = options;
  const keys = rows.map((r) => r[COLUMNS.key] as string);
  // Every style but `ignore` reads which keys are held before inserting: two sends at once would
  // both read a key as absent (./key-locks.ts). First, before any other statement of `trx`.
  if (style !== 'ignore') await lockKeys(trx, table, keys, deadline);
  if (refusedCodes) {
    await removeRefusedRows(trx, table, keys, refusedCodes, deadline, {
      numericColumn: options.statusIsNumber === true,
      keyPadTo,
    });
  }
  await insertNewKeys(trx, table, rows, style, chunk, deadline, keyPadTo);
  const written = new Map(rows.map((r) => [r[COLUMNS.key] as string, r]));
  const altered = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 500) {
    // This batch's rows told by their batch number as read, padding taken off, not by a `WHERE` on
    // it: Oracle compares a CHAR `BATCH_NO` with the unpadded bind without blank-padding, so no row
    // matched, and every row stored cut or with `?` for its characters went unchecked, accepted.
    const stored: Record<string, unknown>[] = await trx(table)
      .select(COLUMNS.key, COLUMNS.batch, ...CHECKED)
      .whereIn(COLUMNS.key, keyBinds(keys.slice(i, i + 500), keyPadTo))
      .timeout(deadline.remainingMs(), { cancel: deadline.cancel });
    for (const s of stored) {
      if (!sameBatch(s[COLUMNS.batch], batch)) continue;
      const key = keyOf(s);
      const row = written.get(key);
      const column = row && CHECKED.find((c) => !storedAsWritten(s[c], String(row[c])));
      if (column) altered.set(key, column);
    }
  }
  // By key alone, for the same reason: these rows were inserted by this transaction, which holds
  // them, so each is still this batch's own.
  const gone = [...altered.keys()];
  for (let i = 0; i < gone.length; i += 500) {
    await trx(table)
      .whereIn(COLUMNS.key, keyBinds(gone.slice(i, i + 500), keyPadTo))
      .delete()
      .timeout(deadline.remainingMs(), { cancel: deadline.cancel });
  }
  return altered;
}
