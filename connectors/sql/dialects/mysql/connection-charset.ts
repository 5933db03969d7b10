/**
 * A MySQL or MariaDB source's connection character set. The server converts every value it sends
 * to the connection's set and writes `?` for each character that set lacks: with
 * `connection.charset: utf8` (utf8mb3) a name holding 𠮷 or another character past the Basic
 * Multilingual Plane came as `?`, with `gbk` every character GBK lacks, without a word. A key
 * holding one became a checkpoint naming no row (`k?` for `k𠮷`): the page after it began before
 * it, read it again, and the read never ended. mysql2's own default, utf8mb4, holds every
 * character and is what licbridge reads in; a latin1 column of GBK bytes is repaired from it as
 * well (connectors/repair/charset.ts). A server without utf8mb4 (MySQL before 5.5.3) stores no
 * character utf8mb3 lacks, and may be read in the set configured for it.
 */
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';

// utf8mb4 by its name, or one of its collations (mysql2 takes both: `UTF8MB4_UNICODE_CI`).
const WHOLE = /^utf8mb4(_|$)/i;

/** Thrown when a connection is set up in a character set narrower than one the server has. */
export class NarrowCharsetError extends Error {
  readonly charset: string;

  constructor(charset: string) {
    super(`connection character set ${charset} lacks characters the server stores`);
    this.name = 'NarrowCharsetError';
    this.charset = charset;
  }
}

/** The refusal as a licbridge error naming the source, the setting and the fix; never a value. */
export function narrowCharsetProblem(error: NarrowCharsetError, source: string): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.CONFIG_INVALID,
    `source ${source}: \`connection.charset: ${error.charset}\` makes the server send \`?\` for every character ${error.charset} lacks (a name with 𠮷 in utf8, any character outside GBK in gbk): values would lose them and a key holding one would be read again without end. The server has utf8mb4, which holds every character: remove \`connection.charset\` (licbridge reads in utf8mb4) or set it to \`utf8mb4\``,
    { retryable: false, context: { source }, cause: error },
  );
}

/**
 * Throws NarrowCharsetError where `charset` (the configured one; undefined for mysql2's utf8mb4)
 * is not utf8mb4 and the server, asked through `ask`, has utf8mb4.
 */
export async function checkConnectionCharset(
  charset: string | undefined,
  ask: (sql: string) => Promise<unknown>,
): Promise<void> {
  if (charset === undefined || WHOLE.test(charset)) return;
  const rows = (await ask(
    "SELECT COUNT(*) AS n FROM information_schema.CHARACTER_SETS WHERE CHARACTER_SET_NAME = 'utf8mb4'",
  )) as { n: number | string }[];
  if (Number(rows[0]?.n ?? 0) > 0) throw new NarrowCharsetError(charset);
}
