/**
 * A SQL Server stand-in for reads through the real mssql knex client and `SqlSource`: a connection
 * answering each statement with the cells tedious builds, each value decoded from the bytes SQL
 * Server sends by tedious' own value parser, with the column metadata tedious sends beside it.
 */
import { createRequire } from 'node:module';
import knexModule from 'knex';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { SourceValue } from '../../connectors/source.js';
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
  metadata: { colName: string; type: unknown; precision?: number; scale?: number; dataLength?: number };
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
}

/**
 * Reads every page of `stream`, `pageSize` rows a page, from a stand-in connection that answers
 * each statement with `answer(sql, values)`'s rows (`values`: the statement's bound parameters, in
 * order); the statements sent are kept in `sent`.
 */
export async function readStandIn(
  stream: StandInStream,
  answer: (sql: string, values: unknown[]) => Cell[][],
  sent: string[] = [],
  pageSize = 100,
): Promise<Record<string, SourceValue>[]> {
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
    }) {
      sent.push(request.sqlTextOrProcedure);
      const values = request.parameters.map((p) => p.value);
      for (const row of answer(request.sqlTextOrProcedure, values)) request.emit('row', row);
      request.emit('requestCompleted');
    },
  };
  client.acquireConnection = async () => connection;
  client.releaseConnection = async () => undefined;
  const source = new SqlSource('market-food', mssqlSourceConfig(), mssqlDialect, db, {
    logger: createLogger({ level: 'silent' }),
  });
  const values: Record<string, SourceValue>[] = [];
  try {
    for await (const page of source.read({ stream, after: null, pageSize }))
      values.push(...page.rows.map((r) => r.values));
  } finally {
    await db.destroy();
  }
  return values;
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
