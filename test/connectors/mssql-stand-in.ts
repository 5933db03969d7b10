/**
 * A SQL Server stand-in for reads through the real mssql knex client and `SqlSource`: a connection
 * answering each statement with the cells tedious builds, each value decoded from the bytes SQL
 * Server sends by tedious' own value parser, with the column metadata tedious sends beside it.
 */
import { createRequire } from 'node:module';
import knexModule from 'knex';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { Page, SourceValue } from '../../connectors/source.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';
import { createLogger } from '../../core/logger.js';

const require = createRequire(import.meta.url);
const { readValue } = require('tedious/lib/value-parser') as {
  readValue(buf: Buffer, offset: number, metadata: unknown, options: unknown): { value: unknown };
};
const { TYPE } = require('tedious/lib/data-type') as { TYPE: Record<number, { name: string }> };

export interface Cell {
  value: unknown;
  metadata: {
    colName: string;
    type: unknown;
    precision?: number;
    scale?: number;
    dataLength?: number;
    /** A character column's collation: its sort id is non-zero for a SQL collation; `flags` as tedious' `Flags`. */
    collation?: { sortId: number; flags?: number };
  };
}

/** One cell as tedious decodes it: `bytes` as SQL Server sends the value for `type` (a TDS type id). */
function decoded(colName: string, type: number, bytes: Buffer, more: Partial<Cell['metadata']> = {}): Cell {
  const metadata = { colName, type: TYPE[type], ...more };
  return { value: readValue(bytes, 0, metadata, {}).value, metadata };
}

/** A NUMERIC(precision, scale) cell (NUMERICN: length, sign, 8-byte magnitude). */
export function numericCell(colName: string, precision: number, scale: number, unscaled: bigint): Cell {
  const bytes = Buffer.alloc(10);
  bytes[0] = 9;
  bytes[1] = unscaled < 0n ? 0 : 1;
  bytes.writeBigUInt64LE(unscaled < 0n ? -unscaled : unscaled, 2);
  return decoded(colName, 0x6c, bytes, { precision, scale });
}

/**
 * A MONEY cell from its stored integer of ten-thousandths: the high 32 bits, then the low. `MoneyN`
 * (a nullable column) sends the length first; a NOT NULL column is `Money`.
 */
export function moneyCell(colName: string, tenThousandths: bigint, nullable = true): Cell {
  const bytes = Buffer.alloc(8);
  bytes.writeInt32LE(Number(BigInt.asIntN(32, tenThousandths >> 32n)), 0);
  bytes.writeUInt32LE(Number(BigInt.asUintN(32, tenThousandths)), 4);
  if (!nullable) return decoded(colName, 0x3c, bytes);
  return decoded(colName, 0x6e, Buffer.concat([Buffer.from([8]), bytes]), { dataLength: 8 });
}

/** A SMALLMONEY cell (NOT NULL: `SmallMoney`, four bytes) from its stored integer. */
export function smallMoneyCell(colName: string, tenThousandths: number): Cell {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(tenThousandths, 0);
  return decoded(colName, 0x7a, bytes);
}

/** A nullable BIGINT cell (INTN of length 8). */
export function bigintCell(colName: string, value: bigint): Cell {
  const bytes = Buffer.alloc(9);
  bytes[0] = 8;
  bytes.writeBigInt64LE(value, 1);
  return decoded(colName, 0x26, bytes, { dataLength: 8 });
}

/**
 * A FLOAT cell (FLOATN: length, then the value): 8 bytes for FLOAT(53), 4 for REAL, which tedious
 * reads as a float32 and widens to a number.
 */
export function floatCell(colName: string, value: number, bytes: 4 | 8 = 8): Cell {
  const buf = Buffer.alloc(1 + bytes);
  buf[0] = bytes;
  if (bytes === 8) buf.writeDoubleLE(value, 1);
  else buf.writeFloatLE(value, 1);
  return decoded(colName, 0x6d, buf, { dataLength: bytes });
}

/** FLOAT or REAL as CONVERT prints it in style 0: at most six digits, `1.23457e+006`. */
export function styleZero(n: number): string {
  const [mantissa = '', exponent = ''] = n.toExponential(5).split('e');
  const e = Number(exponent);
  if (e >= -4 && e < 6) return String(Number(n.toPrecision(6)));
  const digits = mantissa.replace(/\.?0+$/, '');
  return `${digits}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(3, '0')}`;
}

/** The next value of the type above `n` (positive, finite). */
export function nextUp(n: number, bytes: 4 | 8): number {
  const view = new DataView(new ArrayBuffer(8));
  if (bytes === 4) {
    view.setFloat32(0, n);
    view.setUint32(0, view.getUint32(0) + 1);
    return view.getFloat32(0);
  }
  view.setFloat64(0, n);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}

/** An INT cell, as tedious hands it over: a number. */
export const intCell = (colName: string, value: number): Cell => ({
  value,
  metadata: { colName, type: TYPE[0x26], dataLength: 4 },
});

/** A VARCHAR cell, as tedious hands it over: text. */
export const varcharCell = (colName: string, value: string): Cell => ({
  value,
  metadata: { colName, type: TYPE[0xa7] },
});

/** A row of the catalog statement (describeTable) for one column; `pk` 1 for the primary key. */
export const catalogRow = (name: string, type: string, pk = 0): Cell[] => [
  varcharCell('name', name),
  varcharCell('type', type),
  intCell('nullable', 1 - pk),
  intCell('pk', pk),
  intCell('uq', pk),
  intCell('leads', pk),
  intCell('isView', 0),
];

/**
 * Table dbo.T_XKZ (ID int primary key, `column` of catalog type `type`, NULL allowed) whose cursor
 * is `column`, as SQL Server pages it: `read` is a bound checkpoint text as the server converts it
 * to compare with the column, `cell` the column's value as the statement `sql` selects it under the
 * name `as` (text where the statement converts it, the driver's cell otherwise).
 */
export interface CursorTable<V> {
  column: string;
  type: string;
  rows: readonly { id: number; value: V | null }[];
  compare(a: V, b: V): number;
  read(text: unknown): V;
  cell(sql: string, as: string, value: V | null): Cell;
}

/**
 * SQL Server answering the statements of a stream over a `CursorTable`: the catalog, the filter
 * (the checkpoint read as the column's type, a key, the rows level with a page's last), the order
 * (NULL first, then by value and ID) and the TOP. Each row is ID, the column and the cursor text.
 */
export const cursorPages =
  <V>(t: CursorTable<V>) =>
  (sql: string, values: unknown[]): Cell[][] => {
    const c = `\\[${t.column}\\]`;
    if (/sys\.columns/.test(sql)) return [catalogRow('ID', 'int', 1), catalogRow(t.column, t.type)];
    // Other statements (the table list), and the rows without a key: none.
    if (!/T_XKZ/.test(sql) || /\[ID\] is null/.test(sql)) return [];
    const top = /^select top/i.test(sql) ? Number(values.shift()) : t.rows.length;
    const isNull = new RegExp(`${c} is null`).test(sql);
    let rows = t.rows.filter((r) => (isNull ? r.value === null : r.value !== null));
    if (new RegExp(`${c} > (CAST\\()?@p1\\b`).test(sql)) {
      const [cursor, key] = [t.read(values[0]), Number(values[2])];
      rows = rows.filter((r) => {
        const by = t.compare(r.value as V, cursor);
        return by > 0 || (by === 0 && r.id > key);
      });
    } else if (/\[ID\] > (CAST\()?@p1\b/.test(sql)) {
      rows = rows.filter((r) => r.id > Number(values[0]));
    } else if (new RegExp(`\\[ID\\] = (CAST\\()?@p0\\b.* and ${c} = (CAST\\()?@p1\\b`).test(sql)) {
      // The rows level with a page's last (tied-rows.ts).
      const cursor = t.read(values[1]);
      rows = rows.filter((r) => r.id === Number(values[0]) && t.compare(r.value as V, cursor) === 0);
    }
    rows = [...rows].sort((a, b) =>
      a.value === null || b.value === null ? a.id - b.id : t.compare(a.value, b.value) || a.id - b.id,
    );
    return rows
      .slice(0, top)
      .map((r) => [
        intCell('ID', r.id),
        t.cell(sql, t.column, r.value),
        t.cell(sql, '__lb_cursor_text', r.value),
      ]);
  };

export function mssqlSourceConfig() {
  return withSourceDefaults({
    kind: 'mssql',
    connection: { host: 'db.example', database: 'SPXK', user: 'ro' },
    trim: 'all',
    pageSize: 100,
  });
}

export interface StandInStream {
  table: string;
  key: string;
  cursor?: string;
  keyUnique?: boolean;
  query?: string;
  lagMs?: number;
}

/**
 * Reads every page of `stream`, `pageSize` rows a page, from a stand-in connection that answers
 * each statement with `answer(sql, values)`'s rows (`values`: the statement's bound parameters, in
 * order), or fails it with the error `answer` throws; the statements sent are kept in `sent`.
 */
export async function readStandInPages(
  stream: StandInStream,
  answer: (sql: string, values: unknown[]) => Cell[][],
  sent: string[] = [],
  pageSize = 100,
): Promise<Page[]> {
  const db = knexModule({
    client: (await mssqlDialect.knexConfig('s', mssqlSourceConfig())).client,
    connection: {},
  });
  const client = db.client as { acquireConnection(): Promise<unknown>; releaseConnection(): Promise<void> };
  const connection = {
    state: { name: 'LoggedIn' },
    inTransaction: false,
    beginTransaction(done: (e?: Error) => void) {
      connection.inTransaction = true;
      done();
    },
    rollbackTransaction(done: (e?: Error) => void) {
      connection.inTransaction = false;
      done();
    },
    execSql(request: {
      sqlTextOrProcedure: string;
      parameters: { value: unknown }[];
      emit(event: string, ...args: unknown[]): void;
      callback(error?: Error): void;
    }) {
      sent.push(request.sqlTextOrProcedure);
      const values = request.parameters.map((p) => p.value);
      let rows: Cell[][];
      try {
        rows = answer(request.sqlTextOrProcedure, values);
      } catch (error) {
        // An answer that throws is the request failing, handed to its callback as tedious does.
        request.callback(error as Error);
        return;
      }
      for (const row of rows) request.emit('row', row);
      request.emit('requestCompleted');
    },
  };
  client.acquireConnection = async () => connection;
  client.releaseConnection = async () => undefined;
  const source = new SqlSource('market-food', mssqlSourceConfig(), mssqlDialect, db, {
    logger: createLogger({ level: 'silent' }),
  });
  const pages: Page[] = [];
  try {
    for await (const page of source.read({ stream, after: null, pageSize })) pages.push(page);
  } finally {
    await db.destroy();
  }
  return pages;
}

/** The rows' values of every page of `stream`, as `readStandInPages` reads them. */
export async function readStandIn(
  stream: StandInStream,
  answer: (sql: string, values: unknown[]) => Cell[][],
  sent: string[] = [],
  pageSize = 100,
): Promise<Record<string, SourceValue>[]> {
  const pages = await readStandInPages(stream, answer, sent, pageSize);
  return pages.flatMap((page) => page.rows.map((r) => r.values));
}

/**
 * A query stream's rows: each SELECT is answered with `rows`, except the keyless rows' query
 * (key IS NULL), which finds none.
 */
export function readQueryStandIn(query: string, key: string, rows: Cell[][]) {
  return readStandIn({ table: 'licenses', key, keyUnique: true, query }, (sql) =>
    /is null/i.test(sql) ? [] : rows,
  );
}
