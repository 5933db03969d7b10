/**
 * A password as a SQL statement a driver echoes in its error writes it: `CREATE USER … IDENTIFIED BY
 * '…'` (MySQL, MariaDB), `IDENTIFIED BY …` unquoted (Oracle), `ALTER ROLE … PASSWORD '…'`
 * (PostgreSQL). No `=` stands after its name, so it stood whole in error text and log lines. A
 * placeholder where it goes (`IDENTIFIED BY :1`, `PASSWORD $1`) is no password and stays.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { errorLine } from '../../core/errors.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

const CASES = [
  [
    "ER_PARSE: CREATE USER 'lb'@'%' IDENTIFIED BY 'My5ql pw';",
    'My5ql pw',
    "ER_PARSE: CREATE USER 'lb'@'%' IDENTIFIED BY '***';",
  ],
  [
    "ALTER USER lb IDENTIFIED WITH mysql_native_password BY 'Nat1vePw'",
    'Nat1vePw',
    "ALTER USER lb IDENTIFIED WITH mysql_native_password BY '***'",
  ],
  [
    'ORA-00922: ALTER USER LB IDENTIFIED BY Or4cleUnq ACCOUNT UNLOCK',
    'Or4cleUnq',
    'ORA-00922: ALTER USER LB IDENTIFIED BY *** ACCOUNT UNLOCK',
  ],
  ['CREATE USER lb IDENTIFIED BY "Or4cle q"', 'Or4cle q', 'CREATE USER lb IDENTIFIED BY "***"'],
  [
    "syntax error at ALTER ROLE lb WITH LOGIN PASSWORD 'Pg4lterPw';",
    'Pg4lterPw',
    "syntax error at ALTER ROLE lb WITH LOGIN PASSWORD '***';",
  ],
  ["CREATE ROLE lb ENCRYPTED PASSWORD 'it''s9'", "it''s9", "CREATE ROLE lb ENCRYPTED PASSWORD '***'"],
] as const;

describe('a password in a SQL statement', () => {
  it('is hidden, the statement around it kept', () => {
    for (const [text, , hidden] of CASES) expect(scrubSecrets(text)).toBe(hidden);
  });

  it("is hidden from an error's text and line", () => {
    for (const [text, value] of CASES) {
      expect(safeErrorText(text)).not.toContain(value);
      expect(errorLine(new Error(text))).not.toContain(value);
    }
  });

  it('is hidden in a log line, as its message and as a field, and the line parses', () => {
    const { logger, lines } = lineLogger();
    for (const [text] of CASES) logger.warn({ sql: text }, `query failed: ${text}`);
    expect(lines.length).toBe(CASES.length);
    lines.forEach((line, i) => {
      const value = (CASES[i] as readonly string[])[1] as string;
      const entry = JSON.parse(line) as { sql: string; msg: string };
      expect(entry.sql).not.toContain(value);
      expect(entry.msg).not.toContain(value);
    });
  });

  it('leaves a placeholder and words about a password', () => {
    for (const text of [
      'ALTER USER lb IDENTIFIED BY :1',
      'ALTER USER lb IDENTIFIED BY ?',
      'ALTER ROLE lb PASSWORD $1',
      'ALTER ROLE lb PASSWORD NULL',
      'password authentication failed for user "lb"',
      'the password policy requires 12 characters',
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('reads a line of 200 kB of the words', () => {
    expect(scrubSecrets('IDENTIFIED BY '.repeat(15_000))).toContain('IDENTIFIED BY');
    expect(scrubSecrets("PASSWORD '".repeat(20_000))).toContain('PASSWORD');
  });
});
