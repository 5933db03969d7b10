/**
 * knex's SQL Server client (tedious), with five additions from the column metadata tedious sends
 * with every row: a query stream's probe is answered with its columns' metadata (query-collation.ts), DATETIMEOFFSET values are marked as zoned instants (core/local-date.ts), a DECIMAL
 * or MONEY value tedious could not read exactly fails the read (wide-decimal.ts), and the text of a
 * query stream's MONEY cursor, which SQL Server prints with two decimals, or of a FLOAT or REAL
 * cursor, printed with six digits, is the value read, and a REAL value is handed over as written, not
 * widened (cursor-text.ts). knex drops that metadata when
 * it turns rows into objects, and a query stream declares no column types, so this is the only
 * place a query's DATETIMEOFFSET can still be told from a DATETIME2, or its NUMERIC(20) or MONEY
 * from a float. knex is CommonJS: its dialect module is loaded with require.
 */
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { zonedInstant } from '../../../../core/local-date.js';
import { exactCursorText, writtenReals } from './cursor-text.js';
import { COLUMN_METADATA, columnMetadataOf } from './query-collation.js';
import { refuseRoundedDecimals, type TediousCell } from './wide-decimal.js';

const require = createRequire(import.meta.url);

type MssqlClientClass = typeof Knex.Client;

let cached: MssqlClientClass | undefined;

/** Marks, in place, the Dates of DATETIMEOFFSET cells in tedious rows (arrays of cells). */
export function markZonedMssqlRows(rows: unknown): void {
  if (!Array.isArray(rows)) return;
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    for (const cell of row as TediousCell[]) {
      // The same Date, marked: a copy would not carry the mark.
      if (cell?.value instanceof Date && cell.metadata?.type?.name === 'DateTimeOffset')
        zonedInstant(cell.value);
    }
  }
}

/** The knex client class for SQL Server, made once. */
export function mssqlKnexClient(): MssqlClientClass {
  if (cached) return cached;
  const ClientMssql = require('knex/lib/dialects/mssql/index.js') as MssqlClientClass;
  class ClientMssqlZoned extends ClientMssql {
    // knex's runner hands every result through here, in and out of transactions.
    processResponse(
      query: { sql?: unknown; response?: unknown; options?: Record<string, unknown> } | null | undefined,
      runner: unknown,
    ): unknown {
      // A query's column metadata, asked for by its probe (query-collation.ts): knex would drop it.
      if (query?.options?.[COLUMN_METADATA] === true) return columnMetadataOf(query.response);
      if (query) {
        markZonedMssqlRows(query.response);
        // A query stream's DECIMAL wider than 15 digits or MONEY, rounded by tedious (wide-decimal.ts).
        refuseRoundedDecimals(query.response);
        // Then a MONEY, FLOAT or REAL cursor, printed short, as the exact value read.
        exactCursorText(query.sql, query.response);
        // Then REAL values as written, not widened to a double's digits.
        writtenReals(query.response);
      }
      return (ClientMssql.prototype as unknown as ClientMssqlZoned).processResponse.call(this, query, runner);
    }
  }
  cached = ClientMssqlZoned;
  return ClientMssqlZoned;
}
