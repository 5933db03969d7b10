/**
 * A MySQL or MariaDB front database reached with a `connection.charset` narrower than the server's
 * utf8mb4 (`utf8`, `gbk`, `latin1`). The session cannot carry a character that set lacks (a rare
 * character of a holder's name, 𠮷, past the Basic Multilingual Plane in `utf8`): a `utf8` session
 * stored its bytes as other characters, which the read-back in that same session decoded as
 * written, so the row was answered accepted while the exchange system, reading in utf8mb4, found
 * the name garbled. The config reference says such a setting is refused where the server has
 * utf8mb4, as a MySQL source's is (connectors/sql/dialects/mysql/connection-charset.ts, which an
 * adapter may not import): so it is, as the target opens.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import type { StatementDeadline } from './insert-new-keys.js';

/** utf8mb4 by its name, or one of its collations (mysql2 takes both: `UTF8MB4_UNICODE_CI`). */
const WHOLE = /^utf8mb4(_|$)/i;

/**
 * Throws `LB_CONFIG_INVALID` naming target `target` and the setting where `charset` (the configured
 * one; undefined for mysql2's own utf8mb4) is not utf8mb4 and the server has utf8mb4. A server
 * without it (MySQL before 5.5.3) stores no character the narrower set lacks.
 */
export async function checkConnectionCharset(
  k: Knex,
  target: string,
  charset: unknown,
  deadline: StatementDeadline,
): Promise<void> {
  if (typeof charset !== 'string' || WHOLE.test(charset)) return;
  const [rows] = (await k
    .raw("select count(*) as n from information_schema.CHARACTER_SETS where CHARACTER_SET_NAME = 'utf8mb4'")
    .timeout(deadline.remainingMs(), { cancel: deadline.cancel })) as [{ n: number | string }[]];
  if (Number(rows[0]?.n ?? 0) === 0) return;
  throw new LicbridgeError(
    ErrorCodes.CONFIG_INVALID,
    `target ${target}: \`connection.charset: ${charset}\` cannot carry every character a license holds (a name with 𠮷 in utf8, any character outside GBK in gbk): such a row would be stored other than written. The server has utf8mb4, which holds every character: remove \`targets.${target}.connection.charset\` (licbridge writes in utf8mb4) or set it to \`utf8mb4\`; nothing was delivered`,
    { retryable: false, context: { target } },
  );
}
