/**
 * A password in SQL a driver echoes, written in forms the rules did not know: SQL Server's
 * national string (`WITH PASSWORD = N'…'`, where the `N` was hidden and the literal shown, which
 * read as masked and was not), MySQL's `SET PASSWORD FOR 'lb'@'%' = '…'` and `= PASSWORD('…')`,
 * and Oracle's old password after `IDENTIFIED BY … REPLACE`.
 */
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../core/scrub.js';
import { hiddenInErrorsAndLogLines } from './hidden-everywhere.js';

const CASES = [
  [
    "CREATE LOGIN lb WITH PASSWORD = N'Sup3r9x', CHECK_POLICY = OFF",
    'Sup3r9x',
    "CREATE LOGIN lb WITH PASSWORD = N'***', CHECK_POLICY = OFF",
  ],
  [
    "ALTER LOGIN lb WITH PASSWORD = N'N3w9x' OLD_PASSWORD = N'0ld9x'",
    '9x',
    "ALTER LOGIN lb WITH PASSWORD = N'***' OLD_PASSWORD = N'***'",
  ],
  ["SET PASSWORD FOR 'lb'@'%' = 'Sup3r9x'", 'Sup3r9x', "SET PASSWORD FOR 'lb'@'%' = '***'"],
  [
    "SET PASSWORD FOR lb@localhost = PASSWORD('Sup3r9x')",
    'Sup3r9x',
    "SET PASSWORD FOR lb@localhost = PASSWORD('***')",
  ],
  ["SET PASSWORD = PASSWORD('Sup3r9x')", 'Sup3r9x', "SET PASSWORD = PASSWORD('***')"],
  [
    'ALTER USER lb IDENTIFIED BY "N3w9x" REPLACE "OldPw9x"',
    'Pw9x',
    'ALTER USER lb IDENTIFIED BY "***" REPLACE "***"',
  ],
  [
    'ORA-28003: ALTER USER lb IDENTIFIED BY N3w9x REPLACE OldPw9x',
    'Pw9x',
    'ORA-28003: ALTER USER lb IDENTIFIED BY *** REPLACE ***',
  ],
] as const;

describe('a password in SQL written as a national string, by SET PASSWORD, or replaced', () => {
  it('is hidden, the statement around it kept', () => {
    for (const [text, , hidden] of CASES) expect(scrubSecrets(text)).toBe(hidden);
  });

  hiddenInErrorsAndLogLines(CASES, 'sql', (text) => `query failed: ${text}`);

  it('leaves what names no password', () => {
    for (const text of [
      'SET PASSWORD FOR lb@localhost = ?',
      "SELECT REPLACE(name, 'a', 'b') FROM t",
      "REPLACE INTO t VALUES ('x')",
      'WHERE password_hash = ?',
      'PASSWORD_CHANGED_AT',
      'password: expired',
      "name = N'x'",
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('reads a line of 200 kB of the words', () => {
    expect(scrubSecrets("SET PASSWORD FOR '".repeat(12_000))).toContain('SET PASSWORD');
    expect(scrubSecrets('IDENTIFIED BY x REPLACE '.repeat(9_000))).toContain('REPLACE');
    expect(scrubSecrets('PASSWORD = N'.repeat(18_000))).toContain('PASSWORD');
  });
});
