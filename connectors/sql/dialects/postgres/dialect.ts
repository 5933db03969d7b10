/**
 * PostgreSQL (and KingbaseES, which speaks its protocol) through node-postgres. Every read runs in
 * `BEGIN TRANSACTION READ ONLY`, which nothing inside the transaction can lift; sessions are also
 * read-only by default (`default_transaction_read_only`) and have a server-side `statement_timeout`; cursors are selected as `::text`, which keeps microseconds,
 * and bound back as untyped text that the server reads in the column's own type.
 */
import type { Knex } from 'knex';
import type { SourceConfig } from '../../../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import { DEFAULT_TIME_ZONE } from '../../../../core/local-date.js';
import { FINGERPRINT_MOD_SQL } from '../../../../core/reconcile-digest.js';
import type { ColumnMeta, DriverReading, SqlDialect, TableRef } from '../../dialect.js';
import { classifyDriverError, type DriverCodes } from '../../driver-errors.js';
import { type KeptPrecision, valueSpanMs } from '../../lag-window.js';
import { inReadTransaction, type ReadTransactionShape } from '../../read-transaction.js';
import { postgresKind } from './kind.js';
import { pgFamilyKnexConfig, READ_ZONE_PARAM } from './knex-config.js';
import { pgQueryColumnTypes } from './query-columns.js';

// SQLSTATE classes: 28 invalid authorization, 3D invalid catalog, 08 connection exception,
// 57P01–57P03 server shutting down / terminated; 57014 query_canceled (statement_timeout).
const CODES: DriverCodes = {
  auth: ['28P01', '28000'],
  noDatabase: ['3D000'],
  schema: ['42P01', '42703', '3F000'],
  timeout: ['57014'],
  unreachable: ['08000', '08003', '08006', '08001', '08004', '57P01', '57P02', '57P03', '53300'],
};

/** Declared key types read by their text (keyAsText): `date`, `timestamp(6) without time zone`, … */
const DATE_KEY = /^(date|timestamp)\b/i;
/** A `timestamp(p)`, with or without a zone, kept to p digits (six at most). */
const KEPT: KeptPrecision = { digits: /^timestamp\s*\(\s*(\d)\s*\)/i, finest: 6 };

/**
 * The date/time types as format_type spells them (`date`, `timestamp(3) without time zone`,
 * `timestamp with time zone`). Not `time` (a time of day, time-of-day-cursor.ts), nor `interval`
 * (a duration), nor a type of the user's whose name holds `date` or `time` (resolve-stream.ts
 * `cursorLag`); a domain is described by its base type (describePgFamilyTable).
 */
const DATE_TIME_TYPES = /^(date|timestamp(\s*\(\s*\d\s*\))?(\s+with(out)?\s+time\s+zone)?)$/i;

/** `timestamp with time zone`, `timestamp(3) with time zone`: instants (keyAsText, lagBound). */
const ZONED_KEY = /^timestamp\b.*\bwith time zone$/i;

/**
 * knex opens it as `BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY`: read-only from the
 * first statement, and every statement of it reads the one snapshot its first takes. A page is
 * several statements (the page, the rows level with its last, the look-up of its keys' other rows):
 * at READ COMMITTED each saw the rows committed before it began, and an update committed between
 * the page and its tie read moved the page's last row away, the tie was not taken in, and the other
 * rows of the tie lay at the checkpoint, passed over for good (test pg-page-snapshot). A read-only
 * transaction never fails to serialize, and a hot standby takes this level. Its first
 * statement sets extra_float_digits = 3 for the transaction: a float prints as text that reads back
 * as the same float — the shortest such text on PostgreSQL 12 and later, 17 (real: 9) significant
 * digits before. At 0, the default before 12 and a setting a database or role may still carry, it
 * printed 15 (real: 6): a float cursor's checkpoint named another value, and rows at the page's
 * end were skipped or read again; values and keys came rounded. Set in the transaction, not in the
 * startup options: a pooler drops or refuses a startup setting it does not track (PgBouncer), and
 * in transaction pooling a session's SET does not follow the client, but the transaction does.
 *
 * The same statement sets DateStyle's output to ISO, keeping the field order (DMY, MDY) the
 * database or role sets, which reads a checkpoint written before as the same day. In the SQL and
 * Postgres styles a timestamptz prints its zone as an abbreviation the server does not read back
 * as printed: at Asia/Shanghai `01/03/2024 07:00:00 CST`, read back as US Central time (-06), 14
 * hours later, and a cursor's checkpoint skipped every row in between. node-postgres reads only
 * ISO: a DATE came through as the text `01/03/2024`. set_config(…, true) is SET LOCAL.
 *
 * And lc_monetary to C: a money value prints in the database's locale (`￥1,234.50`,
 * `1.234,50 €`), which money-text.ts could not read back as an amount; in C it always reads. And
 * IntervalStyle to ISO 8601: an interval is handed over as its text, `P1Y2M3DT4H5M6.5S`, the same
 * whatever style the database or role sets (`1 year 2 mons …`, `+1-2 +3 +4:05:06.5`).
 *
 * And TimeZone to the mappings' zone (`lifecycle.timeZone`): the server writes an instant's text in
 * it — a timestamptz cast to text or to a date in a query stream, `now()::text`, `to_char`, a
 * timestamptz past a Date's range (knex-config.ts) — which was the database's or the server's
 * default zone's, so a query's day of a license issued 07:00 in Beijing was the day before on a
 * server at UTC or America/New_York, where the mappings take the lone value's day in their zone
 * (test pg-read-session-zone). The session's own zone is kept first in SESSION_ZONE, for the lag
 * window of a zone-less cursor (lagBound), whose values are that zone's wall clock.
 */
export function postgresRead(timeZone: string = DEFAULT_TIME_ZONE): ReadTransactionShape {
  let shape = readShapes.get(timeZone);
  if (!shape) {
    shape = {
      config: { readOnly: true, isolationLevel: 'repeatable read' },
      // Two statements, so the session's zone is read before the second sets the mappings'.
      first: `SELECT set_config('${SESSION_ZONE}', current_setting('TimeZone'), true); SELECT set_config('extra_float_digits', '3', true), set_config('DateStyle', 'ISO', true), set_config('lc_monetary', 'C', true), set_config('IntervalStyle', 'iso_8601', true), set_config('TimeZone', '${timeZone.replaceAll("'", "''")}', true)`,
    };
    readShapes.set(timeZone, shape);
  }
  return shape;
}

/** The session's own TimeZone, set by each read before it sets the mappings' (postgresRead). */
const SESSION_ZONE = 'licbridge.session_zone';
const readShapes = new Map<string, ReadTransactionShape>();
/** The read transaction of the default zone. */
export const POSTGRES_READ: ReadTransactionShape = postgresRead();

/**
 * The session's own wall clock, LOCALTIMESTAMP before the read set the mappings' zone; outside a
 * read (SESSION_ZONE unset, or empty once a read rolled back) the session's TimeZone, as then.
 */
const SESSION_WALL_CLOCK = `(now() AT TIME ZONE coalesce(nullif(current_setting('${SESSION_ZONE}', true), ''), current_setting('TimeZone')))`;

export const postgresDialect: SqlDialect = {
  kind: 'postgres',
  rowValues: true,
  caseInsensitiveIdentifiers: false,
  dateTimeTypes: DATE_TIME_TYPES,

  readTransaction: (db, read) =>
    inReadTransaction(db, postgresRead(db.userParams?.[READ_ZONE_PARAM] as string | undefined), read),

  queryColumnTypes: pgQueryColumnTypes,

  knexConfig: (name: string, config: SourceConfig, reading?: DriverReading) =>
    pgFamilyKnexConfig(name, config, postgresKind.defaultPort, reading),

  async listTables(db: Knex, schema?: string): Promise<string[]> {
    const result: { rows: { name: string }[] } = await db.raw(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = coalesce(?, current_schema()) AND table_type IN ('BASE TABLE', 'VIEW')
        ORDER BY table_name`,
      [schema ?? null],
    );
    return result.rows.map((r) => r.name);
  },

  describeTable: (db: Knex, table: TableRef) => describePgFamilyTable(db, table, 'pg_'),

  cursorAsText(db: Knex, column: string): Knex.Raw {
    // timestamp::text keeps all six fractional digits; timestamptz::text adds the offset, which
    // binds back to the same instant.
    return db.raw('CAST(?? AS text)', [column]);
  },

  keyAsText(db: Knex, key: ColumnMeta): Knex.Raw | null {
    // The type parsers hand date, timestamp and timestamptz keys over as Dates (milliseconds, no
    // zone); their text keeps every digit and binds back as the same value (date-keys.ts). A
    // timestamptz in UTC with its offset: the session's TimeZone would otherwise re-key every row
    // when it changed. 'infinity' has no zone to convert.
    if (ZONED_KEY.test(key.type))
      return db.raw(
        "CASE WHEN isfinite(??) THEN CAST(?? AT TIME ZONE 'UTC' AS text) || '+00' ELSE CAST(?? AS text) END",
        [key.name, key.name, key.name],
      );
    return DATE_KEY.test(key.type) ? db.raw('CAST(?? AS text)', [key.name]) : null;
  },

  bind(_db: Knex, text: string): unknown {
    // An untyped text parameter takes the type of the column it is compared with — including in
    // a row comparison — so an int key compares as an int and a timestamp at full precision.
    return text;
  },

  lagBound(db: Knex, lagMs: number, cursor?: ColumnMeta): Knex.Raw {
    // A date stands for its whole day, and is lagMs old once the day is: the day before the bound's.
    // Compared from its first instant, the current day's rows were read while it was still being
    // written, and one written later that day with a lower key was passed over for good. At lagMs
    // 0 (the clock alone, keyset.ts `readBound`) today's date is taken, as without a bound.
    if (lagMs > 0 && cursor?.type === 'date')
      return db.raw(`CAST(${SESSION_WALL_CLOCK} - (? * interval '1 millisecond') AS date) - 1`, [lagMs]);
    // A timestamptz holds instants: now(), the same instant. LOCALTIMESTAMP, the session zone's wall
    // clock, is converted back in that zone to compare, and where the zone keeps summer time the
    // hour before the clocks go back names two instants, of which PostgreSQL takes the later (as it
    // reads a time the clocks skipped an hour on): the bound lay an hour ahead, and rows committing
    // during a read passed it. Zone-less cursors hold the wall clock, as LOCALTIMESTAMP does, of the
    // session's own zone, not the mappings' a read sets (postgresRead).
    const now = cursor && ZONED_KEY.test(cursor.type) ? 'now()' : SESSION_WALL_CLOCK;
    // A `timestamp(0)` (or of fewer than six digits) is rounded to its precision as it is stored:
    // `08:00:00` stands for a change made as late as 08:00:00.5, and is lagMs old once that is
    // (lag-window.ts `valueSpanMs`).
    return db.raw(`${now} - (? * interval '1 millisecond')`, [lagMs + valueSpanMs(lagMs, cursor, KEPT)]);
  },

  rowFingerprint(db: Knex, columns: readonly ColumnMeta[], prefix: string): Knex.Raw {
    // quote_nullable is injective: NULL becomes the bare word NULL, every value a quoted literal.
    const parts = columns.map(() => 'quote_nullable(CAST(?? AS text))').join(', ');
    return db.raw(`md5(concat_ws(',', CAST(? AS text), ${parts}))`, [prefix, ...columns.map((c) => c.name)]);
  },

  keyBucket(db: Knex, key: ColumnMeta, trim: boolean, buckets: number): Knex.Raw {
    // The key's text as the run keys it. Untrimmed, a CHAR(n) key keeps its padding, as
    // node-postgres hands it over: concat() prints it as stored, where CAST(CHAR AS text) drops the
    // padding and bucketed `JY001   ` as `JY001`, apart from the ledger's bucket of the same row.
    // Under `trim`, rtrim also covers padded VARCHAR keys.
    // A date/time key as its text (keyAsText), the key a run gives the row.
    const dated = postgresDialect.keyAsText?.(db, key);
    const text = dated ? '?' : trim ? "rtrim(CAST(?? AS text), ' ')" : 'concat(??)';
    return db.raw(`(('x' || substr(md5(${text}), 1, 7))::bit(28)::int % ${Math.trunc(buckets)})`, [
      dated ?? key.name,
    ]);
  },

  fingerprintSum(db: Knex, alias: string): Knex.Raw {
    return db.raw(
      `(coalesce(sum(('x' || substr(??, 1, 13))::bit(52)::bigint), 0) % ${FINGERPRINT_MOD_SQL})::text`,
      [alias],
    );
  },

  classifyError(error: unknown, source: string, user?: string): LicbridgeError {
    return sqlAsciiBytesError(error, source) ?? classifyDriverError(error, source, CODES, user);
  },
};

/**
 * SQLSTATE 22021 on a read: the server could not send stored text as UTF-8, which node-postgres
 * asks for. Every other server encoding checks text as it is written; SQL_ASCII stores any bytes
 * unchecked — a Chinese application's GBK — and the server refuses them on the way out, so every
 * read of a table holding one failed with the driver's words alone. Said here with the way to read
 * such a column; the driver's message is left out, as it quotes the bytes (a fragment of a name).
 */
function sqlAsciiBytesError(error: unknown, source: string): LicbridgeError | null {
  if ((error as { code?: unknown } | null)?.code !== '22021') return null;
  return new LicbridgeError(
    ErrorCodes.SOURCE_QUERY,
    `source ${source}: the database holds text that is not UTF-8, which the server will not send as UTF-8 (SQLSTATE 22021): a database of encoding SQL_ASCII keeps the bytes a legacy application wrote (GBK, GB18030, Big5) unchecked. Read such a column as its bytes in a query stream, \`convert_to("COLUMN", 'SQL_ASCII') AS "COLUMN"\`, and list it in \`charset.repair\` with \`charset.from\` the application's encoding (gbk, gb18030, big5), which decodes the bytes`,
    { retryable: false, context: { source, driverCode: '22021' }, cause: error },
  );
}

/**
 * A column of a DOMAIN type by its base type, through domains over domains, with the typmod the
 * innermost domain declares (`CREATE DOMAIN clock AS time(3)`): the server hands its values over
 * as the base type's (RowDescription names the base type), and the rules that go by a column's
 * type must see it too. By the domain's name a domain over `time` was not refused as a cursor
 * (time-of-day-cursor.ts), and a domain over `timestamp` was refused a lagMs as no date/time.
 */
const domainBaseType = (type: string): string => `(WITH RECURSIVE d (base, mod, depth) AS (
          SELECT t.typbasetype, t.typtypmod, 1 FROM ${type} t WHERE t.oid = a.atttypid AND t.typtype = 'd'
          UNION ALL
          SELECT t.typbasetype, t.typtypmod, d.depth + 1 FROM d JOIN ${type} t ON t.oid = d.base AND t.typtype = 'd')
        SELECT format_type(d.base, d.mod) FROM d ORDER BY d.depth DESC LIMIT 1)`;

/**
 * The columns of a table from the system catalog of a PostgreSQL-family server. The catalogs have
 * the same columns under a product's own prefix: `pg_class` in PostgreSQL, `sys_class` in
 * KingbaseES. pg_catalog rather than information_schema: it sees views and tables the login can
 * read without owning them, and says which single-column indexes are unique (indnatts = 1) and
 * which column leads an index (indkey[0]), in the same one statement.
 */
export async function describePgFamilyTable(
  db: Knex,
  table: TableRef,
  prefix: 'pg_' | 'sys_',
): Promise<ColumnMeta[]> {
  const [attribute, klass, namespace, index, am, constraint] = [
    'attribute',
    'class',
    'namespace',
    'index',
    'am',
    'constraint',
  ].map((t) => prefix + t);
  const result: {
    rows: {
      name: string;
      type: string;
      nullable: boolean;
      pk: boolean;
      uq: boolean;
      leads: boolean;
      indexed: boolean;
    }[];
  } = await db.raw(
    `SELECT a.attname AS name, coalesce(${domainBaseType(`${prefix}type`)}, format_type(a.atttypid, a.atttypmod)) AS type,
            NOT a.attnotnull OR c.relkind = 'f'
              OR EXISTS (SELECT 1 FROM ${constraint} k WHERE k.conrelid = c.oid AND k.contype = 'n'
                           AND NOT k.convalidated AND k.conkey[1] = a.attnum) AS nullable,
            EXISTS (SELECT 1 FROM ${index} i WHERE i.indrelid = c.oid AND i.indisprimary
                      AND i.indnatts = 1 AND i.indkey[0] = a.attnum) AS pk,
            EXISTS (SELECT 1 FROM ${index} i WHERE i.indrelid = c.oid AND i.indisunique
                      AND i.indnatts = 1 AND i.indkey[0] = a.attnum AND i.indpred IS NULL) AS uq,
            EXISTS (SELECT 1 FROM ${index} i
                      JOIN ${klass} ic ON ic.oid = i.indexrelid JOIN ${am} m ON m.oid = ic.relam
                     WHERE i.indrelid = c.oid AND i.indkey[0] = a.attnum AND i.indpred IS NULL
                       AND i.indisvalid AND m.amname = 'btree') AS leads,
            c.relkind IN ('r', 'm', 'p') AS indexed
       FROM ${attribute} a
       JOIN ${klass} c ON c.oid = a.attrelid
       JOIN ${namespace} n ON n.oid = c.relnamespace
      WHERE c.relname = ? AND n.nspname = coalesce(?, current_schema())
        AND c.relkind IN ('r', 'v', 'm', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [table.name, table.schema ?? null],
  );
  return result.rows.map((r) => ({
    name: r.name,
    type: r.type,
    // A foreign table's NOT NULL is not enforced, only assumed (CREATE FOREIGN TABLE): the legacy
    // table behind it may hold NULLs there, and a cursor or key taken as NOT NULL is read without
    // the query for its NULL rows, which were then never read. Nor is a NOT NULL added NOT VALID
    // (PostgreSQL 18): attnotnull is true, the rows written before it may hold NULLs, and its
    // pg_constraint row (contype 'n', from 18 on; none before, where the EXISTS finds nothing)
    // says it is not validated.
    nullable: r.nullable,
    primaryKey: r.pk,
    unique: r.pk || r.uq,
    // Only a B-tree returns rows in order (hash, GIN, GiST and BRIN do not); an index being built
    // CONCURRENTLY, or whose build failed, is not valid. Views and foreign tables have no indexes
    // of their own: the catalog cannot tell.
    leadsIndex: r.indexed ? r.leads : null,
  }));
}
