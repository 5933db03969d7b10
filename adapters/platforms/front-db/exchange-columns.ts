/**
 * The exchange table checked, once a front database is opened, against the columns licbridge
 * writes and reads: a misspelled `table` or `exchangeStatus.reasonColumn`, or a city's table
 * without one of the columns of ./exchange-table.ts, would otherwise fail every batch after its
 * rows were built ("writing exchange table … failed"), retried without end until the config is fixed.
 * So would a `dataSource` longer than the table's `DATA_SOURCE`, or be stored cut.
 */
import type { Knex } from 'knex';
import { didYouMean, listWords } from '../../../config/suggest.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { tlsFailureKind } from '../../../core/tls.js';
import type { ExchangeStatusCodes, FrontDbTargetConfig } from './config.js';
import { engineWithoutTransactions } from './engine-transactions.js';
import { checkExchangeStatus } from './exchange-status.js';
import { COLUMNS, tableParts } from './exchange-table.js';
import {
  type ColumnInfo,
  checkDataSourceWidth,
  checkFixedWidths,
  checkVersionColumn,
  infoOf,
} from './exchange-widths.js';
import { frontDbOf } from './front-db-driver.js';
import type { StatementDeadline } from './insert-new-keys.js';
import { keyHasUniqueIndex } from './key-unique.js';
import { type CatalogNames, kingbaseNames, type NamePrefix } from './kingbase-names.js';
import { NUMBER_TYPE } from './plain-number.js';
import { pastDeadline } from './statement-deadline.js';

/** A column the target needs, and the config field naming it (none for the fixed ones). */
interface Needed {
  column: string;
  field?: string;
}

/**
 * Clients whose database takes a column name whatever its case (MySQL, SQL Server's default
 * collations, SQLite); PostgreSQL, KingbaseES, Oracle and DM take a quoted name, as knex writes
 * every name, exactly as written.
 */
const ANY_CASE: ReadonlySet<FrontDbTargetConfig['client']> = new Set(['mysql', 'mssql', 'sqlite']);

/** Every column the target writes or reads. */
function neededColumns(codes: ExchangeStatusCodes | undefined): Needed[] {
  const needed: Needed[] = Object.values(COLUMNS).map((column) => ({ column }));
  if (codes?.reasonColumn) needed.push({ column: codes.reasonColumn, field: 'exchangeStatus.reasonColumn' });
  return needed;
}

/**
 * A failure that says nothing of the table: the connection lost, the time up (its cancel failed or
 * not: ./statement-deadline.ts), a refused certificate. The table's columns are not asked for then.
 */
function notAboutTheTable(e: unknown): boolean {
  if (pastDeadline(e)) return true;
  const code = (e as { code?: unknown } | null)?.code;
  const network =
    /^(ECONN[A-Z]+|ETIMEDOUT|ETIMEOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ESOCKET|PROTOCOL_CONNECTION_LOST)$/;
  return (typeof code === 'string' && network.test(code)) || tlsFailureKind(e) !== undefined;
}

/**
 * The database's own word that the table is not there, by its error code; a database whose code
 * is not known here is not taken at its word, and its failure is retried as before.
 */
function noSuchTable(e: unknown): boolean {
  const { code, errno, number, errorNum, errCode, message } = (e ?? {}) as Record<string, unknown>;
  return (
    code === '42P01' || // PostgreSQL, KingbaseES: undefined_table
    code === 'ER_NO_SUCH_TABLE' ||
    errno === 1146 || // MySQL, MariaDB
    number === 208 || // SQL Server: invalid object name
    errorNum === 942 || // Oracle: ORA-00942 table or view does not exist
    errCode === -2106 || // DM (dmdb): invalid table or view name
    (code === 'SQLITE_ERROR' && /no such table/.test(String(message)))
  );
}

/** The schema `to_regclass` finds an unqualified name in, read from the `pg_`/`sys_` class catalog. */
const schemaFoundIn = (p: NamePrefix) =>
  `(select s.nspname from ${p}class t join ${p}namespace s on s.oid = t.relnamespace where t.oid = to_regclass(quote_ident(?)))`;

/** Where a database lists its tables' columns, for those whose own lookup knex does not aim right. */
interface Catalog {
  view: string;
  owner: string;
  /** The schema an unqualified name is written to, asked of the database (`?`: the table's name). */
  current: string;
  length: string;
  /** The column saying whether `length` counts bytes or characters, where it may be either. */
  unit?: string;
  /** The column naming the column's collation, whose code page a `varchar`'s width counts bytes of. */
  collation?: string;
  /**
   * The columns giving a decimal type's digits and those after the point (`DECIMAL(2,0)`,
   * Oracle's `NUMBER(2)`), for `LICENSE_VERSION` (./exchange-widths.ts `checkVersionColumn`).
   */
  precision: string;
  scale: string;
  /** The catalog's own column names are lower-case (PostgreSQL's information_schema). */
  lowerCase?: boolean;
}

const CATALOGS: Partial<Record<FrontDbTargetConfig['client'], Catalog>> = {
  // knex's MySQL columnInfo looks in the connection's database whatever the schema: for
  // `other_db.UP_LIC_DATA` it read a same-named table of the connection's database.
  mysql: {
    view: 'information_schema.COLUMNS',
    owner: 'TABLE_SCHEMA',
    current: 'database()',
    length: 'CHARACTER_MAXIMUM_LENGTH',
    precision: 'NUMERIC_PRECISION',
    scale: 'NUMERIC_SCALE',
  },
  // knex's Oracle columnInfo reads ALL_TAB_COLUMNS by table name alone: every same-named table
  // the user may see (another schema's copy, the exchange system's own), their columns merged, so
  // another table's narrow BATCH_NO refused this one, or its DATE column had a time written here.
  oracle: {
    view: 'ALL_TAB_COLUMNS',
    owner: 'OWNER',
    current: "SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')",
    length: 'CHAR_LENGTH',
    // VARCHAR2(20) is 20 bytes unless NLS_LENGTH_SEMANTICS says CHAR: CHAR_LENGTH is then bytes.
    unit: 'CHAR_USED',
    precision: 'DATA_PRECISION',
    scale: 'DATA_SCALE',
  },
  // DM keeps Oracle's dictionary views and SYS_CONTEXT, and knex reads its columns as Oracle's: by
  // table name alone (every same-named table the user may see, merged) and through DBMS_XMLGEN. Its
  // `VARCHAR(20 CHAR)` counts characters on an instance that counts bytes: CHAR_USED says so
  // (./exchange-widths.ts), where without it such a column was measured in bytes and a unit's
  // name that fits was refused.
  dm: {
    view: 'ALL_TAB_COLUMNS',
    owner: 'OWNER',
    current: "SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')",
    length: 'CHAR_LENGTH',
    unit: 'CHAR_USED',
    precision: 'DATA_PRECISION',
    scale: 'DATA_SCALE',
  },
  // knex's SQL Server columnInfo reads schema dbo for an unqualified name, where the writes go to
  // the user's default schema first: a dbo copy's widths and types decided for this table.
  // OBJECT_ID resolves the name as the writes do.
  mssql: {
    view: 'INFORMATION_SCHEMA.COLUMNS',
    owner: 'TABLE_SCHEMA',
    current: 'OBJECT_SCHEMA_NAME(OBJECT_ID(QUOTENAME(?)))',
    length: 'CHARACTER_MAXIMUM_LENGTH',
    // varchar(20) is 20 bytes of its collation's code page (2 a Chinese character in
    // Chinese_PRC_CI_AS, 3 in a _UTF8 collation): ./exchange-widths.ts measures in it.
    collation: 'COLLATION_NAME',
    precision: 'NUMERIC_PRECISION',
    scale: 'NUMERIC_SCALE',
  },
  // knex's PostgreSQL columnInfo reads current_schema() for an unqualified name, where the writes
  // find the table along the search_path: a user with a schema of its own (`"$user", public`) had
  // the widths and the time type of a public table go unread. to_regclass resolves as the writes.
  postgres: {
    view: 'information_schema.columns',
    owner: 'table_schema',
    current: schemaFoundIn('pg_'),
    length: 'character_maximum_length',
    lowerCase: true,
    precision: 'numeric_precision',
    scale: 'numeric_scale',
  },
  // KingbaseES resolves names along its search_path as PostgreSQL does, and knex reads it as
  // PostgreSQL (current_schema() alone); its catalog tables are read by the names the database
  // answers to (./kingbase-names.ts), `sys_*` unless told otherwise.
  kingbase: {
    view: 'information_schema.columns',
    owner: 'table_schema',
    current: schemaFoundIn('sys_'),
    length: 'character_maximum_length',
    lowerCase: true,
    precision: 'numeric_precision',
    scale: 'numeric_scale',
  },
};

/** The statement listing `table`'s columns where the writes go, for a client in `CATALOGS`. */
export function catalogColumnsQuery(
  k: Knex,
  client: FrontDbTargetConfig['client'],
  table: string,
  names?: CatalogNames,
): Knex.QueryBuilder | undefined {
  const found = CATALOGS[client];
  if (found === undefined) return undefined;
  const catalog = names === undefined ? found : { ...found, current: schemaFoundIn(names.catalog) };
  const { schema, name } = tableParts(table);
  const n = (c: string) => (catalog.lowerCase ? c.toLowerCase() : c);
  return k
    .select(
      `${n('COLUMN_NAME')} as name`,
      `${catalog.length} as maxLength`,
      `${n('DATA_TYPE')} as type`,
      ...(catalog.unit ? [`${catalog.unit} as charUsed`] : []),
      ...(catalog.collation ? [`${catalog.collation} as collation`] : []),
      `${catalog.precision} as precision`,
      `${catalog.scale} as scale`,
    )
    .from(catalog.view)
    .where(n('TABLE_NAME'), name)
    .andWhereRaw(
      schema === undefined ? `${catalog.owner} = ${catalog.current}` : `${catalog.owner} = ?`,
      schema === undefined ? (catalog.current.includes('?') ? [name] : []) : [schema],
    );
}

/** What the database lists of `table`'s columns (`schema.table` looked up in that schema), by name. */
async function columnInfo(
  k: Knex,
  client: FrontDbTargetConfig['client'],
  table: string,
  deadline: StatementDeadline,
  names?: CatalogNames,
): Promise<Record<string, ColumnInfo>> {
  const { schema, name } = tableParts(table);
  const timeout = { cancel: deadline.cancel };
  const catalog = catalogColumnsQuery(k, client, table, names);
  if (catalog !== undefined) {
    const rows: ({ name: string } & ColumnInfo)[] = await catalog.timeout(deadline.remainingMs(), timeout);
    return Object.fromEntries(
      rows.map((r) => [
        r.name,
        {
          maxLength: r.maxLength,
          type: r.type,
          charUsed: r.charUsed,
          collation: r.collation,
          precision: r.precision,
          scale: r.scale,
        },
      ]),
    );
  }
  const query = schema === undefined ? k(name) : k(name).withSchema(schema);
  return await query.timeout(deadline.remainingMs(), timeout).columnInfo();
}

export interface ExchangeColumnsCheck {
  target: string;
  client: FrontDbTargetConfig['client'];
  table: string;
  codes?: ExchangeStatusCodes;
  /** The value written to every row's `DATA_SOURCE`. */
  dataSource: string;
  deadline: StatementDeadline;
}

/**
 * A date or time type (MySQL `DATETIME`, PostgreSQL `timestamp`, Oracle `DATE`, SQL Server
 * `datetime2`, …), as against text; `time` alone (a time of day) is none.
 */
const DATE_TYPE = /^(date|datetime\d?|smalldatetime|datetimeoffset|timestamp)\b/i;

/** A date/time type that holds a zone with its time. */
const ZONED_TYPE = /with (local )?time zone|datetimeoffset/i;

/** What the exchange table's own columns mean for the values written into them. */
export interface ExchangeTableShape {
  /**
   * `EXCHANGE_TIME` is a date/time column: written as a time, not as ISO text, which MySQL and
   * Oracle refuse for such a column (every row, every batch), and PostgreSQL's `timestamp` takes
   * with its `Z` dropped, 8 hours off a Beijing clock.
   */
  timeIsDate: boolean;
  /**
   * That date/time column holds a zone (PostgreSQL `timestamp with time zone`, Oracle `… WITH [LOCAL]
   * TIME ZONE`, SQL Server `datetimeoffset`): it takes the instant itself, not a wall clock.
   */
  timeHasZone?: boolean;
  /**
   * That column is a MySQL/MariaDB `TIMESTAMP`, which holds an instant: a written wall clock is read
   * in the session's `time_zone` (the server's own by default) and converted to UTC. It is given
   * the instant itself (./exchange-rows.ts `exchangeTimeValue`).
   */
  timeIsInstant?: boolean;
  /**
   * `EXCHANGE_STATUS` is a numeric column: its codes compare with the configured ones by value
   * (`01`, `1` and `1.0` are one code), not as text (./exchange-status.ts).
   */
  statusIsNumber: boolean;
  /**
   * Characters `DELIVERY_KEY` holds, when the database gives a width: a longer key is refused
   * before it is written, where MySQL without strict mode stored it cut (another key) with only a
   * warning. @defaultValue none: any length
   */
  keyWidth?: number;
  /**
   * `DELIVERY_KEY` is a `CHAR` (or `NCHAR`) column of this width on Oracle, which compares it with
   * a bound key without blank-padding: lookups by key bind each key padded to it
   * (./exchange-table.ts `keyBinds`). @defaultValue none: keys bound as they are
   */
  keyPadTo?: number;
  /**
   * No unique index on `DELIVERY_KEY` alone where the client's inserts need one (`on conflict`:
   * PostgreSQL, KingbaseES, SQLite), or a table that takes no `on conflict` (a rule, a view): rows
   * are inserted plainly, the keys already there left out (./key-unique.ts). @defaultValue false
   */
  keyNotUnique?: boolean;
  /**
   * MySQL, MariaDB: the table's engine, when it keeps no transactions (MyISAM): a row not found
   * after its insert may have been taken by the exchange system, and is not written again
   * (./engine-transactions.ts). @defaultValue none: an engine with transactions
   */
  noTransactions?: string;
  /** KingbaseES: the names its catalog and advisory locks answer to (./kingbase-names.ts). */
  names?: CatalogNames;
}

/** Clients comparing a `CHAR` column with a bound text without blank-padding (Oracle's VARCHAR2 bind). */
const UNPADDED_CHAR_COMPARE: ReadonlySet<FrontDbTargetConfig['client']> = new Set(['oracle']);

/** A fixed-width character type (`CHAR`, `NCHAR`), as against `VARCHAR2`, `NVARCHAR2`, … */
const FIXED_CHAR_TYPE = /^n?char$/i;

/**
 * Resolves when the table takes every column the target needs; throws a `LB_CONFIG_INVALID` error
 * naming the target, the table and each missing column (and the config field naming it) when the
 * database says one is not there, or naming the table when the database says it is not there;
 * then checks `dataSource` against the width of `DATA_SOURCE`, and returns what the table's types
 * mean for the writes. Any other failure is thrown as it came (the caller retries).
 */
export async function checkExchangeColumns(
  k: Knex,
  check: ExchangeColumnsCheck,
): Promise<ExchangeTableShape> {
  const { target, client, table, codes, deadline } = check;
  const needed = neededColumns(codes);
  const names = client === 'kingbase' ? await kingbaseNames(k, deadline) : undefined;
  try {
    // Asked as the writes ask, each name quoted as knex quotes it: a statement that runs here
    // runs there, whatever a database does with the case of a name. Reads no row.
    await k(table)
      .select(needed.map((n) => n.column))
      .whereRaw('1 = 0')
      .timeout(deadline.remainingMs(), { cancel: deadline.cancel });
  } catch (refused) {
    if (notAboutTheTable(refused)) throw refused;
    // Which name it was: the database's own list of the table's columns.
    const listed = Object.keys(
      await columnInfo(k, client, table, deadline, names).catch(() => {
        throw refused;
      }),
    );
    if (listed.length === 0 && noSuchTable(refused)) {
      throw new LicbridgeError(
        ErrorCodes.CONFIG_INVALID,
        `target ${target}: exchange table ${table} is not in the front database (or this user may not read it): fix \`targets.${target}.table\`, or have the table made (\`createTable\` for a test or demo database); nothing was delivered`,
        { context: { target } },
      );
    }
    const fold = ANY_CASE.has(client) ? (c: string) => c.toUpperCase() : (c: string) => c;
    const held = new Set(listed.map(fold));
    const missing = needed.filter((n) => !held.has(fold(n.column)));
    // No list (a table this lookup does not see: `owner.table` on Oracle), or every name there:
    // the failure was another.
    if (listed.length === 0 || missing.length === 0) throw refused;
    const named = missing.map((m) =>
      m.field
        ? `\`${m.column}\` (\`targets.${target}.${m.field}\`${didYouMean(m.column, listed).replace(/^; /, ': ')})`
        : `\`${m.column}\``,
    );
    const fixed = missing.some((m) => !m.field);
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `target ${target}: exchange table ${table} has no column ${named.join(', ')}; ${
        fixed
          ? `licbridge writes ${listWords(Object.values(COLUMNS), 'and')}: add the columns, or name the table that has them in \`targets.${target}.table\``
          : 'fix the name in the config, or add the column'
      }; nothing was delivered`,
      { context: { target } },
    );
  }
  const keyNotUnique =
    frontDbOf(client).onDuplicate === 'ignore' && !(await keyHasUniqueIndex(k, table, deadline));
  // SQLite holds any value in any column, and its driver binds no Date: its table is taken as text.
  if (client === 'sqlite')
    return { timeIsDate: false, statusIsNumber: false, ...(keyNotUnique ? { keyNotUnique } : {}) };
  const info = await columnInfo(k, client, table, deadline, names).catch(
    () => ({}) as Record<string, ColumnInfo>,
  );
  await checkDataSourceWidth(k, info, check);
  const timeType = infoOf(info, COLUMNS.time)?.type;
  const timeIsDate = typeof timeType === 'string' && DATE_TYPE.test(timeType.trim());
  checkFixedWidths(info, check, timeIsDate);
  checkVersionColumn(info, check);
  const statusType = infoOf(info, COLUMNS.exchangeStatus)?.type;
  const statusIsNumber = typeof statusType === 'string' && NUMBER_TYPE.test(statusType.trim());
  // Codes distinct as text may be one number there (`1` and `1.0`), or the `0` licbridge writes (`00`).
  if (statusIsNumber && codes) checkExchangeStatus(target, codes, true);
  const keyWidth = Number(infoOf(info, COLUMNS.key)?.maxLength);
  const hasKeyWidth = Number.isInteger(keyWidth) && keyWidth > 0;
  const keyPadded =
    hasKeyWidth &&
    UNPADDED_CHAR_COMPARE.has(client) &&
    FIXED_CHAR_TYPE.test(String(infoOf(info, COLUMNS.key)?.type ?? '').trim());
  const timeHasZone = timeIsDate && ZONED_TYPE.test(String(timeType));
  const timeIsInstant = timeIsDate && client === 'mysql' && /^timestamp\b/i.test(String(timeType).trim());
  const noTransactions =
    client === 'mysql'
      ? await engineWithoutTransactions(k, table, deadline).catch(() => undefined)
      : undefined;
  return {
    timeIsDate,
    ...(timeHasZone ? { timeHasZone } : {}),
    ...(timeIsInstant ? { timeIsInstant } : {}),
    statusIsNumber,
    ...(hasKeyWidth ? { keyWidth } : {}),
    ...(keyPadded ? { keyPadTo: keyWidth } : {}),
    ...(keyNotUnique ? { keyNotUnique } : {}),
    ...(noTransactions ? { noTransactions } : {}),
    ...(names ? { names } : {}),
  };
}
