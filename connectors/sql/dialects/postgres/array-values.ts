/**
 * Array columns whose elements node-postgres parses otherwise than the dialect parses the lone
 * value: `date[]` and `timestamp[]` in the host's zone (a lone DATE or TIMESTAMP is its stored
 * fields as UTC fields, on any host), and `numeric[]` with parseFloat (a lone NUMERIC keeps every
 * digit). On a host at +08:00 `{2024-03-01}` went out as `["2024-02-29T16:00:00.000Z"]`, the day
 * before, and `{12345678901234567890.12}` as `[12345678901234567000]`. A `money[]`'s elements are
 * amounts as a lone money's are (money-text.ts), not the locale's display text. An `interval[]`'s
 * elements are ISO 8601 text, as a lone interval is. A `json[]` or `jsonb[]` is the list's JSON
 * text, its elements' numbers with every digit, as a lone JSON value's are (json-text.ts). A
 * float list's `NaN` and infinities are their text, not the `null` JSON writes for them. A text
 * list (`char(n)[]`, `varchar[]`, `text[]`) is marked so that `trim` trims its elements as it does
 * a lone value (values.ts textList): a char(5)[]'s `{ab}` went out as `["ab   "]` under `trim: all`.
 * A `bigint[]`'s elements are numbers where a number holds them, as a lone bigint is, not text.
 * A `bytea[]`'s are `\x` and hex digits, the text a lone bytea key is. The geometric arrays'
 * elements are what their lone values are: a `circle[]`'s node-postgres' `{x, y, radius}`, as a
 * `point[]`'s are its `{x, y}` (its own parser), the others' their text.
 */
import { exactJsonText, numberHolds } from '../../json-text.js';
import { numericText, parseWallClock, textList } from '../../values.js';
import { zonedText } from '../../zoned-text.js';
import { moneyAmount } from './money-text.js';

// Array type OIDs (pg_type.dat): _date 1182, _timestamp 1115, _numeric 1231, _money 791,
// _timestamptz 1185, _interval 1187, _json 199, _jsonb 3807, _float4 1021, _float8 1022,
// _bpchar 1014, _varchar 1015, _text 1009, _bytea 1001, _int8 1016.
export const DATE_ARRAY = 1182;
export const TIMESTAMP_ARRAY = 1115;
export const NUMERIC_ARRAY = 1231;
export const MONEY_ARRAY = 791;
const TIMESTAMPTZ_ARRAY = 1185;
export const INTERVAL_ARRAY = 1187;
export const JSON_ARRAY = 199;
export const JSONB_ARRAY = 3807;
export const FLOAT4_ARRAY = 1021;
export const FLOAT8_ARRAY = 1022;
const BYTEA_ARRAY = 1001;
const INT8_ARRAY = 1016;
// _circle 719, _box 1020.
const CIRCLE_ARRAY = 719;
const BOX_ARRAY = 1020;
// Their elements' types: timestamptz 1184, bytea 17, circle 718.
const TIMESTAMPTZ = 1184;
const BYTEA = 17;
const CIRCLE = 718;
const TEXT_ARRAYS: ReadonlySet<number> = new Set([1014, 1015, 1009]);
/**
 * Arrays node-postgres has no parser for, whose elements are text as their lone values are:
 * _char 1002, _name 1003, _bit 1561, _varbit 1563, _xml 143, _macaddr8 775, _int4range 3905,
 * _tsrange 3909, _tstzrange 3911, _daterange 3913, _int8range 3927, _tsvector 3643, _tsquery 3645,
 * and the multiranges' (PostgreSQL 14): _int4multirange 6150, _nummultirange 6151,
 * _tsmultirange 6152, _tstzmultirange 6153, _datemultirange 6155, _int8multirange 6157; and the
 * geometric _lseg 1018, _path 1019, _polygon 1027, _line 629 (a _box 1020: boxList).
 * Unparsed, the server's array text `{a,b}` went out, which `list` refused as no JSON. (An enum's
 * or a domain's array has an OID of its own database's, read from its catalog: user-arrays.ts.)
 */
const PLAIN_TEXT_ARRAYS: ReadonlySet<number> = new Set([
  1002, 1003, 1561, 1563, 143, 775, 3905, 3909, 3911, 3913, 3927, 3643, 3645, 6150, 6151, 6152, 6153, 6155,
  6157, 1018, 1019, 1027, 629,
]);

/** node-postgres' array parser: text to a (nested) list, each non-NULL element through `element`. */
export type ArrayParse = (text: string, element: (entry: string) => unknown) => unknown;

/** A date or timestamp element as the lone value reads (its text where it is no date: infinity). */
function wallClockElement(entry: string): unknown {
  return parseWallClock(entry) ?? entry;
}

/** A numeric element as a number where one holds its value (as before), else its text, every digit. */
function numericElement(entry: string): unknown {
  return numberHolds(entry) ? Number(entry) : entry;
}

/**
 * A float element as the number node-postgres makes of it (parseFloat), but `NaN`, `Infinity` and
 * `-Infinity` as that text, as a `numeric[]`'s `NaN` is: the list's JSON wrote them `null`. A lone
 * float is read so too (knex-config.ts).
 */
export function floatElement(entry: string): unknown {
  const n = Number.parseFloat(entry);
  return Number.isFinite(n) ? n : entry;
}

/**
 * The parser of an array type read here, or null for the driver's own. `driver` gives
 * node-postgres' own parser of an element type, which some element parsers start from;
 * `timeZone` is the zone a `timestamptz[]`'s elements are written in (the mappings' zone).
 */
export function arrayValueParser(
  oid: number,
  parse: ArrayParse,
  driver: (oid: number) => (text: string) => unknown,
  timeZone?: string,
): ((text: string) => unknown) | null {
  if (oid === TIMESTAMPTZ_ARRAY) return instantArrayParser(parse, driver(TIMESTAMPTZ), timeZone);
  if (oid === BYTEA_ARRAY) return bytesArrayParser(parse, driver(BYTEA));
  if (oid === DATE_ARRAY || oid === TIMESTAMP_ARRAY) return (text) => parse(text, wallClockElement);
  if (oid === NUMERIC_ARRAY) return (text) => parse(text, numericElement);
  // node-postgres hands a bigint[]'s elements over as text (`["1"]`), a lone bigint as the number
  // 1 where a number holds it: each element as the lone value reads (numericText).
  if (oid === INT8_ARRAY) return (text) => parse(text, numericText);
  if (oid === MONEY_ARRAY) return (text) => parse(text, moneyAmount);
  if (oid === FLOAT4_ARRAY || oid === FLOAT8_ARRAY) return (text) => parse(text, floatElement);
  // Each element the ISO 8601 text a lone interval is (the read's IntervalStyle): node-postgres'
  // interval parser reads only the postgres style, and made `P1M2D` an empty object, `{}`.
  if (oid === INTERVAL_ARRAY) return (text) => parse(text, (entry) => entry);
  // node-postgres JSON.parses each element: a 20-digit serial in one lost its last digits. The
  // list is written as its JSON text here, each element's numbers as the database wrote them; the
  // same text JSON.stringify made of the parsed list wherever no digit is lost.
  if (oid === JSON_ARRAY || oid === JSONB_ARRAY) return (text) => listText(parse(text, exactJsonText));
  // The elements as node-postgres gives them (the text), the list marked as text for `trim`.
  if (TEXT_ARRAYS.has(oid)) return (text) => textList(parse(text, (entry) => entry));
  if (PLAIN_TEXT_ARRAYS.has(oid)) return (text) => parse(text, (entry) => entry);
  // Each element node-postgres' `{x, y, radius}`, the lone circle's shape.
  if (oid === CIRCLE_ARRAY) return (text) => parse(text, driver(CIRCLE));
  if (oid === BOX_ARRAY) return boxList;
  return null;
}

/**
 * A `box[]`'s text as a (nested) list of its boxes' text. A box's delimiter is `;` (pg_type
 * typdelim), `{(1,1),(0,0);(3,3),(2,2)}`, which node-postgres' array parser, splitting at commas,
 * read as four elements. A box's text holds no `;`, brace, quote or space, so the server quotes none.
 */
function boxList(text: string): unknown {
  // Past a `[0:1]=` of lower bounds other than 1 (pg-array-lower-bounds).
  let at = text.indexOf('{');
  const level = (): unknown[] => {
    const entries: unknown[] = [];
    at++;
    if (text[at] === '}') {
      at++;
      return entries;
    }
    while (at < text.length) {
      if (text[at] === '{') entries.push(level());
      else {
        let end = at;
        while (end < text.length && text[end] !== ';' && text[end] !== '}') end++;
        const entry = text.slice(at, end);
        entries.push(entry === 'NULL' ? null : entry);
        at = end;
      }
      if (text[at++] !== ';') break;
    }
    return entries;
  };
  return at < 0 ? text : level();
}

/**
 * A `timestamptz[]`'s parser: each element through node-postgres' timestamptz parser (`instant`),
 * written on `timeZone`'s wall clock with its offset (zoned-text.ts): as a Date, the list's JSON
 * wrote it in UTC, and a text step cutting its day read the day before the lone value's for every
 * time before 08:00 in Beijing. `infinity` and `-infinity` are kept as their text: the parser makes
 * them the numbers ±Infinity, which the list's JSON wrote as `null`, a validity without end read
 * as none. So is an instant past a Date's range (290000-01-01), of which the parser makes an
 * Invalid Date: the JSON wrote it `null`, a date read as none, where the lone value's `date` step
 * refuses it as out of range; and zonedText, given it, threw, which failed the whole read.
 */
function instantArrayParser(
  parse: ArrayParse,
  instant: (text: string) => unknown,
  timeZone: string | undefined,
): (text: string) => unknown {
  return (text) =>
    parse(text, (entry) => {
      const value = instant(entry);
      return value instanceof Date && !Number.isNaN(value.getTime()) ? zonedText(value, timeZone) : entry;
    });
}

/**
 * A `bytea[]`'s parser: each element through node-postgres' bytea parser (`bytes`, which reads the
 * `hex` and `escape` forms of `bytea_output`), handed over as `\x` and its hex digits, the text a
 * lone bytea key is (values.ts rowKeyText). As a Buffer, the list's JSON wrote each element as
 * `{"type":"Buffer","data":[0,255,65]}`, which no mapping step reads as bytes or as text.
 */
function bytesArrayParser(parse: ArrayParse, bytes: (text: string) => unknown): (text: string) => unknown {
  return (text) =>
    parse(text, (entry) => {
      const value = bytes(entry);
      return value instanceof Uint8Array ? `\\x${Buffer.from(value).toString('hex')}` : entry;
    });
}

/** A list of elements' JSON texts (nested for each dimension, null for NULL) as one JSON text. */
function listText(list: unknown): string {
  if (Array.isArray(list)) return `[${list.map(listText).join(',')}]`;
  return list === null ? 'null' : String(list);
}
