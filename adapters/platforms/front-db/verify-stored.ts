/**
 * Writing a batch's rows and checking, in the same transaction, that the database stored what was
 * written. Some front databases store something else without an error: MySQL without strict mode
 * cuts a value to its column and turns characters the column's character set lacks into `?`, with
 * only a warning; SQL Server does the latter for a varchar column in any mode. Such a row would be
 * picked up by the exchange system with a cut payload or a holder's name full of `?`, and
 * reported accepted. It is taken out again before the commit, so on a table with transactions
 * nothing altered is ever visible. A table without them (MySQL's MyISAM) keeps each row from its
 * insert on: a send that fails between the insert and the delete (no DELETE grant, the process
 * gone) leaves the altered row there, and the next send of its key, finding the key held, inserts
 * nothing. So a key's row from an earlier send is compared too: one that may be damaged
 * (./stored-damage.ts) is reported, but left in place; one written otherwise (the target's codes
 * or the seal changed since) is the earlier send's, and its delivery answered as a duplicate.
 */
import type { Knex } from 'knex';
import { MAX_VERSION } from '../../../catalog/identifier.js';
import { listWords } from '../../../config/suggest.js';
import { removeRefusedRows } from './exchange-status.js';
import { BATCH_LENGTH, COLUMNS, keyBinds, keyOf, rowsOfKeys } from './exchange-table.js';
import { type DuplicateStyle, insertNewKeys, type StatementDeadline } from './insert-new-keys.js';
import { type LockPrefix, lockKeys } from './key-locks.js';
import { plainNumber } from './plain-number.js';
import { mayBeDamaged } from './stored-damage.js';
import type { UnansweredCommits } from './unanswered-commits.js';

/**
 * The columns compared: every text a row carries of its license — the identifiers and codes the
 * exchange system files it under, the license as the platform reads it, its signature, and the
 * unit it comes from (`dataSource`). A city's `ZZBS` or `LICENSE_ID` narrower than an identifier
 * was cut there unnoticed, and the license filed under another's number.
 */
export const CHECKED = [
  COLUMNS.licenseId,
  COLUMNS.identifier,
  COLUMNS.opCode,
  COLUMNS.status,
  COLUMNS.payload,
  COLUMNS.signature,
  // The unit the exchange system files the row under: a unit's name in a latin1 column of MySQL
  // without strict mode was stored as `?`s, and the row answered accepted.
  COLUMNS.dataSource,
  // The version the exchange system files the license under: a version larger than a city's
  // TINYINT holds was stored by MySQL without strict mode as 127, and the row answered accepted.
  COLUMNS.version,
] as const;

/** The columns written as JSON text: a cut leaves them unreadable (./stored-damage.ts). */
const JSON_COLUMNS: ReadonlySet<string> = new Set([COLUMNS.payload, COLUMNS.signature]);

/** A value `storedAsWritten` compares, as text. */
function textOf(stored: unknown): string {
  return Buffer.isBuffer(stored) ? stored.toString('utf8') : String(stored);
}

/**
 * Whether a stored value is the written one. CHAR padding aside; a numeric column (a city's CZLX
 * or ZZZT as `numeric`/`DECIMAL`, handed back as text by PostgreSQL and MySQL drivers) holds the
 * code `01` as `1`, which is the same number, not a cut value: compared as text, every row of
 * such a table was taken out and its delivery rejected. A number the driver hands back (an
 * integer column: `LICENSE_VERSION`, a code) is compared by value: taken as written, a version
 * stored as the largest its column holds went unseen. A value in another form (an Oracle LOB
 * handle) cannot be compared here and is taken as written.
 */
function storedAsWritten(stored: unknown, written: string): boolean {
  if (typeof stored === 'number' || typeof stored === 'bigint') {
    const number = plainNumber(written);
    return number !== undefined && number === plainNumber(String(stored));
  }
  if (typeof stored === 'string') {
    if (stored.trimEnd() === written.trimEnd()) return true;
    const number = plainNumber(stored);
    return number !== undefined && number === plainNumber(written);
  }
  if (Buffer.isBuffer(stored)) return stored.toString('utf8').trimEnd() === written.trimEnd();
  return true;
}

/** The columns of `CHECKED` in which a row read back holds other than `written` holds, in that order. */
export function differingColumns(
  stored: Record<string, unknown>,
  written: Record<string, unknown>,
): string[] {
  return CHECKED.filter((c) => !storedAsWritten(stored[c], String(written[c])));
}

/**
 * The version as stored, when it is a smaller number than the one written: MySQL and MariaDB
 * without strict mode store a number too large for its column (a `TINYINT`'s 127, a
 * `DECIMAL(2,0)`'s 99) as the largest it holds, with only a warning. Undefined otherwise, and for
 * a text that begins the written version: a text column cut it (`VARCHAR(2)`: `20` for `200`).
 */
export function versionClamped(stored: unknown, written: unknown): string | undefined {
  if (typeof stored === 'string' && String(written).startsWith(stored.trim())) return undefined;
  const text = typeof stored === 'string' || typeof stored === 'number' || typeof stored === 'bigint';
  const held = text ? plainNumber(String(stored)) : undefined;
  if (held === undefined) return undefined;
  return Number(held) < Number(written) ? held : undefined;
}

/** `versionClamped` of a row whose differing columns are `differ`. */
function versionClampedIn(
  differ: readonly string[],
  stored: Record<string, unknown>,
  written: Record<string, unknown>,
): string | undefined {
  return differ.includes(COLUMNS.version)
    ? versionClamped(stored[COLUMNS.version], written[COLUMNS.version])
    : undefined;
}

/** Whether a batch number read back is `batch`: a CHAR column hands it back padded to its width. */
export function sameBatch(read: unknown, batch: string): boolean {
  return typeof read === 'string' && read.trimEnd() === batch;
}

export interface WriteOptions {
  style: DuplicateStyle;
  chunk: number;
  deadline: StatementDeadline;
  /**
   * This call's batch number: a row with another one was there before; it is checked, but never
   * taken out (./verify-stored.ts `Altered`).
   */
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
  /**
   * The prefix of the advisory lock functions (./key-locks.ts): `sys_` on a KingbaseES that
   * answers to `sys_advisory_*` (./kingbase-names.ts). @defaultValue `pg_`
   */
  lockPrefix?: LockPrefix;
  /**
   * Columns read back with each row besides those compared, for its delivery's answer
   * (`EXCHANGE_STATUS` and the reason column, with `exchangeStatus`). @defaultValue none
   */
  answerColumns?: readonly string[];
  /**
   * Where each transaction notes its id before its commit, for a commit whose answer is lost
   * (./unanswered-commits.ts). @defaultValue none
   */
  commits?: UnansweredCommits;
  /**
   * Keys an earlier send's transaction may have committed, unanswered, where the database cannot
   * tell (./unanswered-commits.ts `EarlierCommits`): a row of theirs found is that send's, and where
   * none is left none is inserted (one inserted all the same, the earlier row taken out meanwhile,
   * is taken out again before the commit): `withheld`. Written, the exchange system that had taken
   * the first row out took the license a second time.
   * @defaultValue none
   */
  unknown?: ReadonlySet<string>;
}

/** A delivery's row found stored other than written. */
export interface Altered {
  /** The first column compared that differs (of an earlier send's row, that may be damaged). */
  column: string;
  /**
   * The batch number of the row, when an earlier send wrote it: such a row is left in the table,
   * where the exchange system may have read it already, for a person to look at. Absent for a row
   * this call wrote, which is taken out again.
   */
  earlierBatch?: string;
  /**
   * This call's row holds a value no cut and no replaced character makes (./stored-damage.ts):
   * something on the table (a trigger, a rule) rewrote it as it was stored. @defaultValue false
   */
  rewritten?: boolean;
  /**
   * `LICENSE_VERSION` as stored, a smaller number than the version written: the largest its column
   * holds (`versionClamped`). @defaultValue none
   */
  largest?: string;
}

/** What the read-back found of this call's rows and of the rows earlier sends left. */
export interface Verified {
  /** By delivery key, a row stored altered (or an earlier one that may be damaged): rejected. */
  altered: Map<string, Altered>;
  /**
   * By delivery key, the columns in which an earlier send's row differs from this send's in a way
   * no cut and no replaced character makes (./stored-damage.ts): the target's `codes`, the seal
   * or the payload's layout changed since. The row is that send's, complete; the delivery is
   * answered as its duplicate, these columns in its receipt.
   */
  changed: Map<string, string[]>;
  /**
   * By delivery key, its rows as read in the transaction, after the insert (`answerColumns` among
   * the columns): what the delivery is answered from. Read after the commit instead, a row the
   * exchange system had taken out by then (moved into its own table as it picks rows up) was
   * answered "not found after insert", retryable, and written again at each retry: the license
   * delivered once per attempt. A key without a row here (a trigger that keeps none) is absent.
   * Every row of a key, where its key is not unique: one kept, the last read, answered the delivery
   * in the database's scan order (./write-batch.ts `answerOfRows`).
   */
  held: Map<string, Record<string, unknown>[]>;
  /**
   * Keys of `unknown` the table held no row of: not inserted (or taken out again), not committed,
   * and not in `held`.
   */
  withheld: Set<string>;
}

/**
 * The reason a delivery whose row was found altered is rejected with: the column, never a value of
 * the license's (a clamped version's number aside: it is the largest its column holds).
 */
export function alteredReason(table: string, { column, earlierBatch, rewritten, largest }: Altered): string {
  if (largest !== undefined && earlierBatch === undefined) {
    return `exchange table ${table} stored ${column} as ${largest}, the largest number its column holds, for a larger version (MySQL or MariaDB without strict mode stores a number too large for its column so, with only a warning): the exchange system would file the license under another version; the row was taken out again. licbridge writes versions from 1 to ${MAX_VERSION}: widen the column to hold them (an INT), then replay the dead letter`;
  }
  if (rewritten) {
    return `exchange table ${table} stored ${column} other than written, and not as a cut to its column or a character its character set lacks would: something on the table (a trigger, a rule) rewrites it as it is stored; the row was taken out again. licbridge writes ${listWords(CHECKED, 'and')} as the license, its seal and the target's dataSource give them and checks each row it writes: have the table store them as written, then replay the dead letter`;
  }
  if (earlierBatch === undefined) {
    return `exchange table ${table} stored ${column} other than written (cut to its column, or characters its character set lacks replaced); the row was taken out again`;
  }
  const damage =
    largest === undefined
      ? 'as a cut to its column, or characters its character set lacks replaced, leave it'
      : `stored as ${largest}, the largest number its column holds, for a larger version`;
  return `exchange table ${table} holds this delivery's row from an earlier send (${COLUMNS.batch} ${earlierBatch}) with ${column} ${damage} (by a send that failed before taking the row out); the row was left in the table, where the exchange system may have read it: check it there, and once the column holds the value (widened, or its character set fixed), delete the row and replay the dead letter`;
}

/** The keys among `keys` of `unknown` whose row `table` does not hold, read in `trx`. */
async function notHeldOf(
  trx: Knex.Transaction,
  table: string,
  unknown: ReadonlySet<string>,
  keys: readonly string[],
  { keyPadTo, deadline }: WriteOptions,
): Promise<Set<string>> {
  const asked = keys.filter((key) => unknown.has(key));
  const absent = new Set(asked);
  for await (const rows of rowsOfKeys(trx, table, [COLUMNS.key], asked, keyPadTo, deadline)) {
    for (const r of rows) absent.delete(keyOf(r));
  }
  return absent;
}

/**
 * Inserts the rows whose key is new (after taking out refused rows of these keys, when
 * `refusedCodes` is given), then reads back the rows of every key and compares them with what this
 * call writes. Returns, by delivery key, the first column found altered (the rows this call wrote
 * are deleted, the rows of an earlier send left in place), and the columns of an earlier send's row
 * written otherwise (`Verified`).
 */
export async function writeAndVerify(
  trx: Knex.Transaction,
  table: string,
  rows: readonly Record<string, unknown>[],
  options: WriteOptions,
): Promise<Verified> {
  const { style, chunk, deadline, batch, refusedCodes, keyPadTo } = options;
  const keys = rows.map((r) => r[COLUMNS.key] as string);
  // Every style but `ignore` reads which keys are held before inserting: two sends at once would
  // both read a key as absent (./key-locks.ts). First, before any other statement of `trx`.
  if (style !== 'ignore') await lockKeys(trx, table, keys, deadline, options.lockPrefix);
  if (refusedCodes) {
    await removeRefusedRows(trx, table, keys, refusedCodes, deadline, {
      numericColumn: options.statusIsNumber === true,
      keyPadTo,
    });
  }
  // A key of `unknown` the table holds no row of is not inserted at all: on a table without
  // transactions (MyISAM) the exchange system sees a row from its insert on, before it is taken out.
  const withheld = options.unknown
    ? await notHeldOf(trx, table, options.unknown, keys, options)
    : new Set<string>();
  const inserted = withheld.size === 0 ? rows : rows.filter((r) => !withheld.has(r[COLUMNS.key] as string));
  await insertNewKeys(trx, table, inserted, style, chunk, deadline, keyPadTo);
  const written = new Map(rows.map((r) => [r[COLUMNS.key] as string, r]));
  const altered = new Map<string, Altered>();
  const changed = new Map<string, string[]>();
  const held = new Map<string, Record<string, unknown>[]>();
  /** Keys of `unknown` whose row this call inserted all the same: taken out again. */
  const ownUnknown = new Set<string>();
  /** `BATCH_NO` of this call's rows as the database hands it back (a CHAR column's padding kept). */
  let ownBatch: unknown;
  // This batch's rows told by their batch number as read, padding taken off, not by a `WHERE` on
  // it: Oracle compares a CHAR `BATCH_NO` with the unpadded bind without blank-padding, so no row
  // matched, and every row stored cut or with `?` for its characters went unchecked, accepted.
  const compared: readonly string[] = [COLUMNS.key, COLUMNS.batch, ...CHECKED];
  const columns = [...compared, ...(options.answerColumns ?? []).filter((c) => !compared.includes(c))];
  for await (const stored of rowsOfKeys(trx, table, columns, keys, keyPadTo, deadline)) {
    for (const s of stored) {
      const key = keyOf(s);
      const row = written.get(key);
      if (!row) continue;
      // Every row of a key (two where the table's key is not unique); one taken out below is its
      // delivery's `altered`.
      held.set(key, [...(held.get(key) ?? []), s]);
      const read = s[COLUMNS.batch];
      if (options.unknown?.has(key) && sameBatch(read, batch)) {
        // Taken out by the exchange system between the read above and the insert.
        ownBatch = read;
        withheld.add(key);
        ownUnknown.add(key);
        continue;
      }
      const differ = differingColumns(s, row);
      const [first] = differ;
      if (first === undefined) continue;
      if (sameBatch(read, batch)) {
        ownBatch = read;
        // A value no cut and no replaced character makes was rewritten as it was stored: a trigger
        // or a rule of the city's on the table. Told as a cut, a person widened columns in vain.
        const largest = versionClampedIn(differ, s, row);
        const damaged = mayBeDamaged(textOf(s[first]), String(row[first]), JSON_COLUMNS.has(first));
        altered.set(
          key,
          largest !== undefined
            ? { column: COLUMNS.version, largest }
            : damaged
              ? { column: first }
              : { column: first, rewritten: true },
        );
        changed.delete(key);
        continue;
      }
      // A row of an earlier send is the same delivery (its license version, to this target). Not
      // compared, a row a send on a table without transactions stored cut and failed to take out
      // was answered accepted by the next send. One written otherwise (the codes, the seal or the
      // payload's layout changed since) is that send's, as complete as this one's: rejected, every
      // such delivery sent again after the change would wait for a person, with nothing to fix.
      // This call's own row, when a key has two (a table whose key is not unique), is the one told.
      if (altered.has(key)) continue;
      // An earlier send of the same key wrote the same version: one stored smaller was clamped.
      const largest = versionClampedIn(differ, s, row);
      const damaged =
        largest !== undefined
          ? COLUMNS.version
          : differ.find((c) => mayBeDamaged(textOf(s[c]), String(row[c]), JSON_COLUMNS.has(c)));
      if (damaged === undefined) {
        changed.set(key, differ);
        continue;
      }
      const earlierBatch = String(read ?? '')
        .trimEnd()
        .slice(0, BATCH_LENGTH);
      altered.set(key, { column: damaged, earlierBatch, ...(largest === undefined ? {} : { largest }) });
      changed.delete(key);
    }
  }
  // By key and this batch's number as read (padding and all, so Oracle's CHAR compares equal): by
  // key alone, the delete also took a key's other row where the key is not unique — an earlier
  // send's, which the exchange system may have read, put there by a send that met this one
  // (./insert-new-keys.ts `notHeld`) or by an older licbridge that sent every key again.
  const gone = [
    ...[...altered].filter(([, a]) => a.earlierBatch === undefined).map(([key]) => key),
    ...ownUnknown,
  ];
  for (const key of withheld) held.delete(key);
  for (let i = 0; i < gone.length; i += 500) {
    await trx(table)
      .whereIn(COLUMNS.key, keyBinds(gone.slice(i, i + 500), keyPadTo))
      .andWhere(COLUMNS.batch, ownBatch as string)
      .delete()
      .timeout(deadline.remainingMs(), { cancel: deadline.cancel });
  }
  const verified = { altered, changed, held, withheld };
  const noted = withheld.size === 0 ? keys : keys.filter((key) => !withheld.has(key));
  await options.commits?.beforeCommit(trx, noted, verified, deadline);
  return verified;
}
