/** The error `config check --connect` reports for a front-database user that may not write the exchange table. */
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';

/**
 * `LB_CONFIG_INVALID` naming the target, the table, what the user may not do (`what`, the
 * privileges or columns, never a value), why a privilege is needed (`notes`), what to grant, and
 * which sends would fail (`fails`: every one, unless said otherwise).
 */
export function writeRefused(
  target: string,
  table: string,
  what: string,
  grant: string,
  notes: readonly string[] = [],
  fails = 'every send would fail',
): LicbridgeError {
  const why = notes.map((n) => ` (${n})`).join('');
  return new LicbridgeError(
    ErrorCodes.CONFIG_INVALID,
    `target ${target}: the front database's user may not ${what} on exchange table ${table}${why}: grant ${grant} to the user in \`targets.${target}.connection\`, or name another user; ${fails}`,
    { context: { target } },
  );
}

/** Why DELETE is asked for, with `exchangeStatus`. */
export const DELETE_NOTE =
  'DELETE: a row the exchange system refused is taken out before its key is written again';

/**
 * `LB_CONFIG_INVALID` for the sequences whose values the columns' defaults take and the user may not
 * take (`privileges` on each to grant): until granted, every insert is refused.
 */
export function sequencesRefused(
  target: string,
  table: string,
  sequences: readonly { sequence: string; columns: readonly string[] }[],
  privileges: string,
): LicbridgeError {
  const what = sequences.map(
    (s) =>
      `sequence ${s.sequence} (the default of column${s.columns.length > 1 ? 's' : ''} ${s.columns.join(', ')})`,
  );
  return writeRefused(
    target,
    table,
    `take values of ${what.join(', nor of ')}`,
    `${privileges} on the sequence${sequences.length > 1 ? 's' : ''}`,
  );
}
