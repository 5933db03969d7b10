/**
 * A password as a SQL statement a driver echoes in its error writes it: `CREATE USER … IDENTIFIED BY
 * '…'` (MySQL, MariaDB), `IDENTIFIED BY …` unquoted (Oracle), `ALTER ROLE … PASSWORD '…'`
 * (PostgreSQL). No `=` stands after its name, so it stood whole in error text and log lines. A
 * placeholder where it goes (`IDENTIFIED BY :1`, `PASSWORD $1`) is no password and stays.
 */
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../core/scrub.js';
import { hiddenInErrorsAndLogLines } from './hidden-everywhere.js';

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

  hiddenInErrorsAndLogLines(CASES, 'sql', (text) => `query failed: ${text}`);

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
