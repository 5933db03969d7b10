/**
 * A SQLite ledger connection keeps its statement journals in memory (temp_store = MEMORY,
 * ledger/sqlite-connection.ts): a statement that fails partway still undoes the rows it had
 * written, the transaction around it goes on, and what it committed is on disk for the next
 * connection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { configureSqliteConnection } from '../../ledger/sqlite-connection.js';

const MEMORY = 2;
const dir = mkdtempSync(join(tmpdir(), 'lb-sqlite-stmt-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function opened(file: string): Database.Database {
  const conn = new Database(file);
  configureSqliteConnection(conn, 5000);
  return conn;
}

describe('a SQLite ledger connection', () => {
  it('keeps statement journals in memory, not in temporary files', () => {
    const conn = opened(join(dir, 'pragma.db'));
    expect(conn.pragma('temp_store', { simple: true })).toBe(MEMORY);
    conn.close();
  });

  it('undoes a multi-row insert that fails partway, keeps the rest of its transaction', () => {
    const file = join(dir, 'rollback.db');
    const conn = opened(file);
    conn.exec('create table t (id integer primary key, k text not null unique, body text not null)');
    // Rows wide enough to touch many pages in one statement (the journal holds a copy of each).
    const body = 'x'.repeat(2000);
    const insert = (keys: string[]) =>
      conn
        .prepare(`insert into t (k, body) values ${keys.map(() => '(?, ?)').join(', ')}`)
        .run(keys.flatMap((k) => [k, body]));
    conn.exec('begin');
    insert(Array.from({ length: 200 }, (_, i) => `a${i}`));
    // The last row repeats a key: the statement fails after writing its first 199 rows.
    const failing = [...Array.from({ length: 199 }, (_, i) => `b${i}`), 'a0'];
    expect(() => insert(failing)).toThrow(/UNIQUE/);
    insert(['c0']);
    conn.exec('commit');
    conn.close();

    const again = opened(file);
    const keys = again.prepare('select k from t').pluck().all() as string[];
    expect(keys).toHaveLength(201);
    expect(keys.filter((k) => k.startsWith('b'))).toEqual([]);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    again.close();
  });
});
