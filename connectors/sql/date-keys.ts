/**
 * Keys of a date/time type. A key is bound back from its checkpoint text and names the license
 * across runs; the driver hands a date/time over as a Date, which keeps milliseconds and no zone,
 * so text made from it skipped or re-read rows keyed within one millisecond (DATETIME(6),
 * PostgreSQL's microseconds) and made two such rows one license. Where the dialect has the
 * database's own text of the key (dialect.ts `keyAsText`: PostgreSQL date, timestamp and
 * timestamptz, MySQL DATE and DATETIME), that text is the row's key and its checkpoint. The others
 * (`dateKeyTypes`: MySQL TIMESTAMP, whose text follows the session's time zone; SQL Server's date
 * and time types), and a query stream's key the driver returns as a Date, are refused before a row
 * is read, saying what to do: key the stream by a column that identifies each row, or select the
 * key as text in a query stream. Oracle and DM select DATE and TIMESTAMP keys as text already.
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
    `source ${source}: key column \`${c}\` of stream \`${t}\` is ${what}: this source does not read such a date/time as a key, as no text of it names the stored value on every run (the driver hands it over to the millisecond and without its zone; a MySQL TIMESTAMP prints in the session's time zone). Key the stream by a column that identifies each row (an id or serial), or read it through a query stream that selects the key as text, \`${cast} AS ${c}\``,
    {
      retryable: false,
      context: { source, table: t, columnName: c, ...(type ? { columnType: type } : {}) },
    },
  );
}
