/**
 * The front-database exchange table (前置库, STANDARDS.md §5): the unit writes one row per
 * delivery with a batch number, an operation type, a timestamp and a data-source column; the
 * city's exchange system picks rows up (and sets `EXCHANGE_STATUS`). Column names are upper-case
 * as such front databases name them.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { LicenseOperation } from '../../../catalog/license.js';
import { bounded, type StatementDeadline } from './insert-new-keys.js';

export const COLUMNS = {
  key: 'DELIVERY_KEY',
  batch: 'BATCH_NO',
  opType: 'OPERATION_TYPE',
  time: 'EXCHANGE_TIME',
  dataSource: 'DATA_SOURCE',
  licenseId: 'LICENSE_ID',
  version: 'LICENSE_VERSION',
  identifier: 'ZZBS',
  opCode: 'CZLX',
  status: 'ZZZT',
  payload: 'PAYLOAD',
  signature: 'SIGNATURE',
  exchangeStatus: 'EXCHANGE_STATUS',
} as const;

/**
 * The delivery key of a row read back. A city's `CHAR` key column hands it back padded to its
 * width (PostgreSQL, Oracle; Oracle's lookups bind the key padded: `keyBinds`): compared as read,
 * no written key matched its own row, so every delivery failed as "not found after insert" and was
 * retried, its row there all along.
 */
export function keyOf(row: Record<string, unknown>): string {
  return String(row[COLUMNS.key]).trimEnd();
}

/**
 * Delivery keys as a lookup by key binds them. `padTo`: the width of a `CHAR` key column on a
 * database that compares such a column with a bound text without blank-padding (Oracle: a `CHAR`
 * against the driver's `VARCHAR2` bind): the column holds each key padded to its width, so the
 * unpadded key matched no row — every read-back found nothing ("not found after insert"), a poll
 * found every row gone, a replay's duplicate was taken for a failure. Each key is bound padded as
 * the column holds it, which keeps the comparison on the column itself and its index usable (a
 * `TRIM` of the column would not). A key as long as the column, or longer, is bound as it is.
 */
export function keyBinds(keys: readonly string[], padTo?: number): string[] {
  if (padTo === undefined) return [...keys];
  return keys.map((key) => {
    const length = [...key].length;
    return length < padTo ? key + ' '.repeat(padTo - length) : key;
  });
}

/** Keys a lookup by key binds in one statement. */
export const KEYS_PER_READ = 500;

/**
 * The exchange table's rows of `keys`, `columns` of them, read {@link KEYS_PER_READ} keys a
 * statement (bound by {@link keyBinds}) within `deadline`: one array of rows per statement, in key
 * order of the slices.
 */
export async function* rowsOfKeys(
  k: Knex | Knex.Transaction,
  table: string,
  columns: readonly string[],
  keys: readonly string[],
  keyPadTo: number | undefined,
  deadline: StatementDeadline,
): AsyncGenerator<Record<string, unknown>[]> {
  for (let i = 0; i < keys.length; i += KEYS_PER_READ) {
    yield await k(table)
      .select(...columns)
      .whereIn(COLUMNS.key, keyBinds(keys.slice(i, i + KEYS_PER_READ), keyPadTo))
      .timeout(deadline.remainingMs(), { cancel: deadline.cancel });
  }
}

/** Characters of a batch number (`BATCH_NO`), and of the ISO text written to `EXCHANGE_TIME`. */
export const BATCH_LENGTH = 32;
export const ISO_TIME_LENGTH = 24;

/** A new batch number: one per `deliver` call, which tells a row it wrote from a row already there. */
export function newBatchNo(): string {
  return randomUUID().replaceAll('-', '').toUpperCase();
}

/**
 * Insert / update / delete as exchange systems read them. licbridge never removes a license from
 * a platform's books: a revocation, cancellation or move-out ends it, which these systems take as `D`;
 * every other change of an issued license is `U`.
 */
export function operationType(op: LicenseOperation): 'I' | 'U' | 'D' {
  // A renewal, change or transfer-in is a new license on the platform's books.
  if (op === 'issue' || op === 'renew' || op === 'change' || op === 'transfer') return 'I';
  if (op === 'revoke' || op === 'cancel' || op === 'transfer-out') return 'D';
  return 'U';
}

/** `table` as the writes name it, parted into its schema (MySQL: database) and name. */
export function tableParts(table: string): { schema?: string; name: string } {
  const dot = table.lastIndexOf('.');
  return dot < 0 ? { name: table } : { schema: table.slice(0, dot), name: table.slice(dot + 1) };
}

/** The schema builder for `table`'s schema, and the name within it. */
function inSchema(k: Knex, table: string): { builder: Knex.SchemaBuilder; name: string } {
  const { schema, name } = tableParts(table);
  return { builder: schema === undefined ? k.schema : k.schema.withSchema(schema), name };
}

/**
 * Whether the exchange table is there, looked up where the writes go: knex's `hasTable` takes
 * `qzk.UP_LIC_DATA` for one name, found in no schema, so `createTable` tried to make the table at
 * every open after the first and failed, the target never opening again.
 *
 * Bounded by `deadline`, as every other statement of a check or a send is: knex's schema builder
 * takes no timeout, and a front database that took the connection and then never answered held
 * `config check --connect` and the first send (with `createTable`) forever. So knex's own lookup is
 * run as a query, whose rows are an array on every dialect.
 */
export async function hasExchangeTable(
  k: Knex,
  table: string,
  deadline?: StatementDeadline,
): Promise<boolean> {
  const { schema, name: inIt } = tableParts(table);
  const dialect = (k.client as { dialect?: string }).dialect;
  if (schema !== undefined && (dialect === 'oracle' || dialect === 'dm')) {
    // knex's Oracle hasTable (DM's too: its SQL is Oracle's) reads USER_TABLES whatever the
    // schema: a table made in another schema was never found, and every open after the first
    // failed to make it again.
    const rows = await bounded(
      k.select('TABLE_NAME').from('ALL_TABLES').where({ OWNER: schema, TABLE_NAME: inIt }),
      deadline,
    );
    return rows.length > 0;
  }
  const { builder, name } = inSchema(k, table);
  // One statement on every dialect: a `select` of the catalog, with its bindings.
  // (Compiled only: a schema builder runs nothing until awaited.)
  const compiled = builder.hasTable(name) as unknown as Pick<Knex.SchemaBuilder, 'toSQL'>;
  const [lookup] = compiled.toSQL() as unknown as { sql: string; bindings?: Knex.RawBinding[] }[];
  const rows: unknown[] = await bounded(
    k.select('*').from(k.raw(`(${lookup?.sql}) lookup`, lookup?.bindings ?? [])),
    deadline,
  );
  return rows.length > 0;
}

/** Creates the exchange table when missing (test and demo front databases; production ones exist). */
export async function ensureExchangeTable(
  k: Knex,
  table: string,
  /** Bounds the lookup (a check's or a send's); none for a test or demo database made by hand. */
  deadline?: StatementDeadline,
): Promise<void> {
  if (await hasExchangeTable(k, table, deadline)) return;
  const { builder, name } = inSchema(k, table);
  try {
    await builder.createTable(name, (t) => {
      t.string(COLUMNS.key, 200).primary();
      t.string(COLUMNS.batch, 64).notNullable();
      t.string(COLUMNS.opType, 1).notNullable();
      t.string(COLUMNS.time, 30).notNullable();
      t.string(COLUMNS.dataSource, 64).notNullable();
      t.string(COLUMNS.licenseId, 160).notNullable();
      t.integer(COLUMNS.version).notNullable();
      t.string(COLUMNS.identifier, 200).notNullable();
      t.string(COLUMNS.opCode, 4).notNullable();
      t.string(COLUMNS.status, 4).notNullable();
      t.text(COLUMNS.payload).notNullable();
      t.text(COLUMNS.signature).notNullable();
      t.string(COLUMNS.exchangeStatus, 2).notNullable().defaultTo('0');
      t.index([COLUMNS.licenseId, COLUMNS.version]);
    });
  } catch (e) {
    // Two workers creating it at once: the loser finds it there.
    if (!(await hasExchangeTable(k, table, deadline))) throw e;
  }
}
