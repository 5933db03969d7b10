/**
 * Marks node-oracledb's TIMESTAMP WITH [LOCAL] TIME ZONE values as zoned instants
 * (core/local-date.ts) as they are fetched, by the type the server reports for each result column.
 * Table streams also know it from the declared type; query streams declare none, and their Dates
 * were all read as wall-clock ones: 2024-03-01 07:00 +08:00 came out on 2024-02-29.
 */
import { zonedInstant } from '../../../../core/local-date.js';

/** The part of node-oracledb this module uses: its zoned type constants and the fetch hook. */
export interface OracledbZonedTypes {
  DB_TYPE_TIMESTAMP_TZ: unknown;
  DB_TYPE_TIMESTAMP_LTZ: unknown;
  fetchTypeHandler?: unknown;
}

const installed = new WeakSet<object>();

/** The same Date, marked: a copy would not carry the mark. */
function markDate(value: unknown): unknown {
  return value instanceof Date ? zonedInstant(value) : value;
}

/** A fetch type handler marking the zoned types' Dates; nothing for every other type. */
export function zonedFetchHandler(
  oracledb: OracledbZonedTypes,
): (metadata: { dbType?: unknown }) => { converter: (v: unknown) => unknown } | undefined {
  const zoned = new Set([oracledb.DB_TYPE_TIMESTAMP_TZ, oracledb.DB_TYPE_TIMESTAMP_LTZ]);
  return (metadata) => (zoned.has(metadata.dbType) ? { converter: markDate } : undefined);
}

/**
 * Installs the fetch hook on the driver, once, as its process-wide setting: it returns nothing for
 * every other type, so fetchAsString and the driver's defaults still decide how those are fetched.
 * An Oracle source's own statements are given a handler of their own (session-formats.ts), which
 * marks these types as well.
 */
export function installZonedFetch(oracledb: OracledbZonedTypes): void {
  if (installed.has(oracledb)) return;
  oracledb.fetchTypeHandler = zonedFetchHandler(oracledb);
  installed.add(oracledb);
}
