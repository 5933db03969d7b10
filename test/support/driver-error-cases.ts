// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax.
/**
 * Database drivers' errors as they quote or echo what they could not read, and the text each may be
 * shown as: in a failed check's stored message and a run's light check (failureMessage), and in
 * `status`, /readyz and the lag probe's log line and kept failure, which call the same function.
 * Each case here was shown two ways before, one of them keeping more of the value; `shown` is the
 * stricter of the two, or stricter than both where both kept a value (a URL's password, a quoted
 * value cut by a line break). `leaks`: what must appear nowhere in it. The same text is what a job's
 * failed reason in Redis, the error of a run given up and what the CLI prints hold of the error
 * (each with its name and code around it; the CLI's unbounded, and for a licbridge error, numbers
 * masked by shape only: `printed`).
 */
import { randomBytes } from 'node:crypto';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { registerSecret } from '../../core/scrub.js';

export interface DriverErrorCase {
  name: string;
  /** What the driver, or licbridge wrapping it, throws. */
  error: unknown;
  shown: string;
  /** What the CLI prints, which does not bound the length, where it differs from `shown`. */
  whole?: string;
  /**
   * What the CLI prints of a licbridge error, where it differs from `shown`: numbers by shape only
   * (an ID number's or an individual business's code's first and last four, a legal entity's
   * credit code whole), as its own words name license ids, catalog codes and option values the
   * person gave.
   */
  printed?: string;
  leaks: string[];
}

const ID = '11010519491231002X';
const wrapped = (words: string) => new LicbridgeError(ErrorCodes.SOURCE_QUERY, `source legacy: ${words}`);
const wide = (text: string) =>
  text.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** The cases; registers a password generated here as a config reference's value, as the loader would. */
export function driverErrorCases(): DriverErrorCase[] {
  const secret = `Pw${randomBytes(9).toString('base64url')}`;
  registerSecret(secret, '${env:LEGACY_DB_PASSWORD}');
  const urlPassword = `Url${randomBytes(9).toString('base64url')}`;
  const setPassword = `Set${randomBytes(9).toString('base64url')}`;
  return [
    {
      name: 'pg: a password from a config reference, echoed as a host',
      error: new Error(`getaddrinfo ENOTFOUND ${secret}`),
      shown: 'getaddrinfo ENOTFOUND [from ${env:LEGACY_DB_PASSWORD}]',
      leaks: [secret],
    },
    {
      name: 'pg: a connection URL with a password',
      error: new Error(`connect to postgres://lb:${urlPassword}@db.example:5432/legacy failed`),
      shown: 'connect to postgres://***@db.example:5432/legacy failed',
      leaks: [urlPassword],
    },
    {
      name: 'pg: a resident ID number in a wrapped error',
      error: wrapped(`query failed: no row after key ${ID}`),
      shown: 'source legacy: query failed: no row after key **************002X',
      printed: 'source legacy: query failed: no row after key 1101**********002X',
      leaks: ['1101'],
    },
    {
      name: 'pg: an 18-digit number whose date is no date',
      error: new Error('invalid input syntax for type uuid: key 370211199013451234'),
      shown: 'invalid input syntax for type uuid: key **************1234',
      leaks: ['37021119901345'],
    },
    {
      name: 'pg: a 15-digit resident ID number (before 1999)',
      error: new Error('no row after key 110105491231002'),
      shown: 'no row after key ***********1002',
      leaks: ['1101054912'],
    },
    {
      name: 'pg: a resident ID number in full-width digits',
      error: new Error(`no row after key ${wide(ID)}`),
      shown: `no row after key **************${wide('002X')}`,
      leaks: [wide('110105')],
    },
    {
      name: 'pg: a resident ID number in its groups',
      error: new Error('holder 110105 19491231 002X refused'),
      shown: 'holder 1101** ******** 002X refused',
      leaks: ['110105', '1231'],
    },
    {
      name: 'mysql2: a value in backticks, told as text',
      error: "source legacy: query failed: Unknown column `王小明` in 'where clause'",
      shown: "source legacy: query failed: Unknown column `***` in '***'",
      leaks: ['王小明'],
    },
    {
      name: 'mariadb: a quoted value holding a line break, and a parameter',
      error: new Error(
        "(conn:12, no: 1062, SQLState: 23000) Duplicate entry 'Zhang\nSan' for key 'uk_holder'\nsql: INSERT INTO t VALUES (?) - parameters:[370211199001011234]",
      ),
      shown:
        "(conn:12, no: 1062, SQLState: 23000) Duplicate entry '***' for key 'uk_holder' sql: INSERT INTO t VALUES (?) - parameters:[**************1234]",
      leaks: ['Zhang', 'San', '3702111990'],
    },
    {
      name: 'mssql: a connection string with a password',
      error: new Error(`Server=db;User Id=sa;Password=${setPassword};Database=SPXK is not valid`),
      shown: 'Server=db;User Id=sa;Password=***;Database=SPXK is not valid',
      leaks: [setPassword],
    },
    {
      name: 'mssql: a unified social credit code in a wrapped error',
      error: wrapped('no row after key 92370211MA3098E10F'),
      shown: 'source legacy: no row after key **************E10F',
      // An individual business's code names a person: masked by its shape, as a log line masks it.
      printed: 'source legacy: no row after key 9237**********E10F',
      leaks: ['92370211MA30'],
    },
    {
      name: 'oracledb: a message over lines, with a bank card number',
      error: new Error(
        'ORA-01722: invalid number for key 6222021234567890123\nHelp: https://docs.oracle.com/error-help/db/ora-01722/',
      ),
      shown:
        'ORA-01722: invalid number for key ***************0123 Help: https://docs.oracle.com/error-help/db/ora-01722/',
      leaks: ['622202123456789'],
    },
    {
      name: 'better-sqlite3: a run of eight digits',
      error: new Error('no such row: key 12345678'),
      shown: 'no such row: key ****5678',
      leaks: ['1234'],
    },
    {
      name: 'a PRC passport number (E and eight digits)',
      error: wrapped('no row after key E12345678'),
      shown: 'source legacy: no row after key E*******8',
      leaks: ['5678'],
    },
    {
      name: 'a PRC passport number (E, a letter and seven digits)',
      error: new Error('no row after key EA1234567'),
      shown: 'no row after key E*******7',
      leaks: ['4567'],
    },
    {
      name: 'a diplomatic passport number (D and seven digits)',
      error: new Error('no row after key D1234567'),
      shown: 'no row after key ********',
      leaks: ['4567'],
    },
    {
      name: 'a mobile number written in groups',
      error: new Error('contact 138 0013 8000 did not answer'),
      shown: 'contact *********8000 did not answer',
      leaks: ['138 0013'],
    },
    {
      name: 'a mobile number with +86',
      error: new Error('contact +8613800138000 did not answer'),
      shown: 'contact **********8000 did not answer',
      leaks: ['+86', '13800'],
    },
    {
      name: 'a driver error without words',
      error: new Error(''),
      shown: 'no message',
      leaks: [],
    },
    {
      name: "a driver's dump",
      error: new Error(`ECONNRESET ${'x'.repeat(400)}`),
      shown: `ECONNRESET ${'x'.repeat(286)}...`,
      whole: `ECONNRESET ${'x'.repeat(400)}`,
      leaks: ['x'.repeat(287)],
    },
  ];
}

/**
 * A login a driver names as it refuses it. An account of the database, no holder's data and no
 * secret: `status`, the CLI and what the ledger and Redis keep show it (`shown`), as the account
 * whose grant or password to fix (docs/troubleshooting.md); /readyz hides it (`hidden`), as
 * docs/operations.md promises of its body.
 */
export interface LoginErrorCase {
  name: string;
  error: unknown;
  shown: string;
  hidden: string;
  /** The login, which `hidden` does not hold. */
  login: string;
}

export function loginErrorCases(): LoginErrorCase[] {
  const refused = (words: string) =>
    new LicbridgeError(ErrorCodes.SOURCE_AUTH, `source legacy: login failed as user \`lb_reader\`: ${words}`);
  return [
    {
      name: "mysql2: Access denied for user 'lb_reader'@'10.0.0.5'",
      error: new Error("Access denied for user 'lb_reader'@'10.0.0.5' (using password: YES)"),
      shown: "Access denied for user 'lb_reader'@'10.0.0.5' (using password: YES)",
      hidden: "Access denied for user '***' (using password: YES)",
      login: 'lb_reader',
    },
    {
      name: 'pg: role does not exist, as licbridge words a refused login',
      error: refused('role "lb_reader" does not exist'),
      shown: 'source legacy: login failed as user `lb_reader`: role "lb_reader" does not exist',
      hidden: 'source legacy: login failed as user `***`: role "***" does not exist',
      login: 'lb_reader',
    },
    {
      name: 'pg: password authentication failed for user',
      error: new Error('password authentication failed for user "lb_reader"'),
      shown: 'password authentication failed for user "lb_reader"',
      hidden: 'password authentication failed for user "***"',
      login: 'lb_reader',
    },
    {
      name: "mssql: Login failed for user 'lb_reader'",
      error: new Error("Login failed for user 'lb_reader'."),
      shown: "Login failed for user 'lb_reader'.",
      hidden: "Login failed for user '***'.",
      login: 'lb_reader',
    },
    {
      name: 'a URL naming its user without a password',
      error: new Error('connect to postgres://lb_reader@db.example:5432/legacy failed'),
      shown: 'connect to postgres://***@db.example:5432/legacy failed',
      hidden: 'connect to postgres://***@db.example:5432/legacy failed',
      login: 'lb_reader',
    },
  ];
}
