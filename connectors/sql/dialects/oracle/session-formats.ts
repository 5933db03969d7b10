/**
 * The formats an Oracle source's sessions turn dates, timestamps and numbers into text with, and
 * the fetch of a query stream's DATE and TIMESTAMP values as that text.
 *
 * Text in the session's NLS format: a query stream's cursor is selected as `TO_CHAR(col)` and its
 * checkpoint bound back as text the server converts, as its type is not declared — both in the
 * NLS settings of whoever set up the login (`DD-MON-RR` by default, which keeps no time of day).
 * Each connection of a source sets them at once (`SESSION_FORMATS`), so both directions use
 * licbridge's own: `SYYYY` keeps a year before the common era, `FF9` every fractional digit,
 * `TZH:TZM` the offset a zoned value was written with.
 *
 * node-oracledb builds a DATE or TIMESTAMP Date in the host's zone with `new Date(year, …)`: year
 * 0001 (a common "no date") became 1901 and a time the host's zone skipped moved (1940-06-01 00:00
 * in Asia/Shanghai read 01:00). Table streams select such columns with TO_CHAR; in thick mode a
 * query stream's are fetched as the server's text in the session's format (a fetch type handler
 * given to each statement of the source) and read as the wall clock, marked so the dialect does not
 * read them again as a host-zone Date. Thin mode makes no such text (sourceFetchTypeHandler). TIMESTAMP WITH [LOCAL] TIME ZONE stays the driver's instant, marked
 * as zoned (zoned-fetch.ts).
 */
import type { Knex } from 'knex';
import { parseWallClock } from '../../values.js';
import { type OracledbZonedTypes, zonedFetchHandler } from './zoned-fetch.js';

/** Formats of the values in SESSION_FORMATS, for the statements that name theirs. */
export const DATE_TEXT = 'SYYYY-MM-DD HH24:MI:SS';
export const TIMESTAMP_TEXT = 'SYYYY-MM-DD HH24:MI:SS.FF9';
export const TIMESTAMP_TZ_TEXT = 'SYYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM';

/**
 * Run once on each new connection of an Oracle source, before any read. NLS_SORT and NLS_COMP
 * BINARY: ORDER BY sorts text by NLS_SORT, which follows NLS_LANGUAGE (GERMAN, FRENCH: a
 * linguistic sort) or a logon trigger (SCHINESE_PINYIN_M), while `key > ?` compares binary under
 * the default NLS_COMP; a keyset page sorted one way and resumed the other skipped the keys the
 * two orders place differently (`a` before `B` linguistically, after it in binary), and a
 * linguistic ORDER BY sorts the whole table for every page where the key's index would serve.
 */
export const SESSION_FORMATS = `ALTER SESSION SET NLS_DATE_FORMAT = '${DATE_TEXT}' NLS_TIMESTAMP_FORMAT = '${TIMESTAMP_TEXT}' NLS_TIMESTAMP_TZ_FORMAT = '${TIMESTAMP_TZ_TEXT}' NLS_NUMERIC_CHARACTERS = '.,' NLS_SORT = BINARY NLS_COMP = BINARY`;

// TO_CHAR of a DATE or TIMESTAMP in an SYYYY format: a minus sign before a year BC, a blank before any other.
const SIGNED_WALL_CLOCK = /^\s?(-?)(\d{4}-.*)$/;

/** `SYYYY-MM-DD HH24:MI:SS[.FF9]` text as a wall-clock Date (UTC fields the stored ones); null for other text. */
export function signedWallClock(text: string): Date | null {
  const m = SIGNED_WALL_CLOCK.exec(text);
  const date = m ? parseWallClock(m[2] as string) : null;
  if (date && m?.[1] === '-') date.setUTCFullYear(-date.getUTCFullYear());
  return date;
}

const wallClocks = new WeakSet<Date>();

/** True for a Date a query stream's fetch made from the server's text: already the wall clock. */
export function isFetchedWallClock(value: unknown): boolean {
  return value instanceof Date && wallClocks.has(value);
}

function wallClockOf(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const date = signedWallClock(text);
  if (!date) return text;
  wallClocks.add(date);
  return date;
}

/** The part of node-oracledb the handler uses. */
export interface OracledbFetchTypes extends OracledbZonedTypes {
  DB_TYPE_DATE: unknown;
  DB_TYPE_TIMESTAMP: unknown;
  DB_TYPE_VARCHAR: unknown;
  DB_TYPE_BINARY_DOUBLE: unknown;
  DB_TYPE_BINARY_FLOAT: unknown;
  /** False once thick mode is on (Oracle Instant Client loaded), for every connection made after. */
  readonly thin: boolean;
}

/**
 * The fetch type handler of every statement of an Oracle source: zoned timestamps marked and, in
 * thick mode, DATE and TIMESTAMP as the server's text in the session's formats, read as the wall
 * clock. A statement's handler takes the place of the driver's process-wide one, so it does both.
 *
 * Thin mode makes no such text: it builds a Date in the host's zone whatever type is asked for,
 * and text asked for is that Date's `toString()` (oracledb/lib/impl/resultset.js), which reached
 * the mappings as `Fri Mar 01 2024 08:00:05 GMT+0800 (China Standard Time)`. There the driver's
 * Date is kept, re-expressed as the wall clock by the dialect's normalise as before; a query
 * that needs year 0001 or a time the host's zone skipped selects the column with TO_CHAR.
 */
export function sourceFetchTypeHandler(
  oracledb: OracledbFetchTypes,
): (metadata: { dbType?: unknown }) => { type?: unknown; converter: (v: unknown) => unknown } | undefined {
  const zoned = zonedFetchHandler(oracledb);
  const wallClock = new Set([oracledb.DB_TYPE_DATE, oracledb.DB_TYPE_TIMESTAMP]);
  const binary = new Set([oracledb.DB_TYPE_BINARY_DOUBLE, oracledb.DB_TYPE_BINARY_FLOAT]);
  return (metadata) => {
    if (binary.has(metadata.dbType)) return { type: metadata.dbType, converter: binaryFloatText };
    return wallClock.has(metadata.dbType) && !oracledb.thin
      ? { type: oracledb.DB_TYPE_VARCHAR, converter: wallClockOf }
      : zoned(metadata);
  };
}

/**
 * A BINARY_DOUBLE or BINARY_FLOAT, fetched as the number it is stored as, as the shortest text
 * that reads back as that number: a BINARY_FLOAT is widened to the double of the same value, whose
 * text TO_BINARY_FLOAT reads back as that very single. `fetchAsString` asks for text, which thin
 * mode makes from the same number and thick mode's client library makes itself, at a precision
 * Oracle does not document; the checkpoint of a key or cursor is this text (dialect.ts), so it is
 * made here, the same in both modes. Infinities and NaN in Oracle's spelling, which it reads back.
 */
export function binaryFloatText(value: unknown): unknown {
  if (typeof value !== 'number') return value;
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'INF' : '-INF';
  return String(value);
}

// A zoned cursor's checkpoint: the instant in UTC, every fractional digit, the offset written out.
const UTC_TEXT = 'YYYY-MM-DD HH24:MI:SS.FF9 "+00:00"';
const UTC_READ = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM';
const UTC_CHECKPOINT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{9} \+00:00$/;
const LOCAL_ZONED = /WITH LOCAL TIME ZONE/i;

/**
 * A zoned cursor column as the text of its UTC instant. SYS_EXTRACT_UTC takes a TIMESTAMP WITH
 * TIME ZONE; a LOCAL one is cast to it first, at 9 digits (the cast's default keeps 6).
 */
export function zonedCursorText(db: Knex, column: string, type: string): Knex.Raw {
  const utc = LOCAL_ZONED.test(type)
    ? 'SYS_EXTRACT_UTC(CAST(?? AS TIMESTAMP(9) WITH TIME ZONE))'
    : 'SYS_EXTRACT_UTC(??)';
  return db.raw(`TO_CHAR(${utc}, '${UTC_TEXT}')`, [column]);
}

/**
 * A zoned cursor's checkpoint text as a TIMESTAMP WITH TIME ZONE. A checkpoint an older licbridge
 * wrote in the login's NLS format is bound as the text it is, which the server reads in the
 * session's format: the same one if the login's was licbridge's; else the read fails (ORA-01830,
 * ORA-01843 and kin), or the server, which reads a month name for MM and a short year for SYYYY,
 * takes a day-first text for an instant in the first centuries (`15-MAR-24 …` as the year 15) and
 * the stream is read again from there, never past a row. `licbridge run --full` once starts the
 * stream over (docs/connectors.md).
 */
export function zonedCursorBind(db: Knex, text: string): unknown {
  return UTC_CHECKPOINT.test(text) ? db.raw(`TO_TIMESTAMP_TZ(?, '${UTC_READ}')`, [text]) : text;
}
