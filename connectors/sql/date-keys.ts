/**
 * Keys of a date/time type the driver hands over as a Date (PostgreSQL date, timestamp and
 * timestamptz, MySQL DATE, DATETIME and TIMESTAMP, SQL Server's date and time types). A key is
 * bound back from its checkpoint text and names the license across runs; a Date keeps
 * milliseconds and no zone, so the text made from it would skip or re-read rows keyed within one
 * millisecond (DATETIME(6), PostgreSQL's microseconds) and make two such rows one license. Such a
 * stream is refused before a row is read, saying what to do: key it by a column that identifies
 * each row, or read it through a query stream that selects the key as the database's own text.
 * Oracle and DM select their DATE and TIMESTAMP keys as text already and are read.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { shownName } from './resolve-stream.js';

/** How each database writes a date/time as text that sorts as the value does, for the message. */
const AS_TEXT: Record<string, string> = {
  postgres: 'CAST(col AS text)',
  kingbase: 'CAST(col AS text)',
  mysql: 'CAST(col AS CHAR)',
  mssql: 'CONVERT(varchar(40), col, 121)',
};

/**
 * The refusal of a stream keyed by a date/time column, naming the source, stream, column and its
 * type (never a value); `type` is empty for a query stream, whose column types are not declared.
 */
export function dateKeyProblem(
  source: string,
  kind: string,
  stream: string,
  column: string,
  type: string,
): LicbridgeError {
  const t = shownName(stream);
  const c = shownName(column);
  const what = type ? `\`${type}\`` : 'a date/time the driver returns as a date';
  const cast = (AS_TEXT[kind] ?? 'CAST(col AS CHAR)').replace('col', c);
  return new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `source ${source}: key column \`${c}\` of stream \`${t}\` is ${what}: a date/time key is not read, as the driver hands it over at millisecond precision without its zone, and its checkpoint would not name the stored value. Key the stream by a column that identifies each row (an id or serial), or read it through a query stream that selects the key as text, \`${cast} AS ${c}\``,
    {
      retryable: false,
      context: { source, table: t, columnName: c, ...(type ? { columnType: type } : {}) },
    },
  );
}
