/**
 * knex's SQL Server client (tedious), with one addition: DATETIMEOFFSET values are marked as zoned
 * instants (core/local-date.ts) from the column metadata tedious sends with every row. knex drops
 * that metadata when it turns rows into objects, and a query stream declares no column types, so
 * this is the only place a query's DATETIMEOFFSET can still be told from a DATETIME2. knex is
 * CommonJS: its dialect module is loaded with require.
 */
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { zonedInstant } from '../../../../core/local-date.js';

const require = createRequire(import.meta.url);

/** A result cell as tedious emits it in a `row` event. */
interface TediousCell {
  value: unknown;
  metadata?: { type?: { name?: string } };
}

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
    processResponse(query: { response?: unknown } | null | undefined, runner: unknown): unknown {
      if (query) markZonedMssqlRows(query.response);
      return (ClientMssql.prototype as unknown as ClientMssqlZoned).processResponse.call(this, query, runner);
    }
  }
  cached = ClientMssqlZoned;
  return ClientMssqlZoned;
}
