/**
 * A ledger error's message: `ledger: <op> failed: <code>: <driver's words>`. The code was put in
 * front of words that already begin with it, as Node's file errors do (`ENOENT: ENOENT: no such
 * file…`). And the driver's words were taken after the last ` - ` past the 40th character, to drop
 * knex's SQL before them: a driver's words holding ` - ` themselves (a folder named `dept - 2024`)
 * lost all before it, and a message with no SQL in front was cut too.
 */
import { describe, expect, it } from 'vitest';
import { wrapLedgerError } from '../../ledger/sql-errors.js';

function fsError(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
    code: 'ENOENT',
    errno: -2,
  });
}

describe('ledger error messages', () => {
  it('names the code once when the words begin with it', () => {
    const e = wrapLedgerError('audit write', fsError('/var/lib/licbridge/audit.db'));
    expect(e.message).toMatch(/^ledger: audit write failed: ENOENT: no such file/);
    expect(e.message).not.toContain('ENOENT: ENOENT');
  });

  it('puts the code in front of words that do not name it', () => {
    const e = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(wrapLedgerError('commit page', e).message).toBe(
      'ledger: commit page failed: SQLITE_BUSY: database is locked',
    );
  });

  it("keeps a driver's words holding ' - ' whole when no SQL stands before them", () => {
    const e = wrapLedgerError('checkpoint read', fsError('/srv/exports/dept - 2024/ledger/licbridge.sqlite'));
    expect(e.message).toContain('no such file or directory, open');
    expect(e.message).toContain('ledger/licbridge.sqlite');
  });

  it("drops knex's SQL and keeps the driver's words holding ' - '", () => {
    const sql = "insert into licbridge_versions (source_key, note) values ('K-1', 'a - b - c')";
    const e = Object.assign(
      new Error(`${sql} - SQLITE_CANTOPEN: unable to open database file '/srv/dept - 2024/ledger.db'`),
      { code: 'SQLITE_CANTOPEN' },
    );
    const message = wrapLedgerError('commit page', e).message;
    expect(message).toMatch(/^ledger: commit page failed: SQLITE_CANTOPEN: unable to open database file/);
    expect(message).not.toContain('insert into');
    expect(message).not.toContain('a - b');
  });
});
