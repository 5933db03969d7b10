/**
 * A SQLite ledger connection syncs every commit (synchronous=FULL) whether it creates the file or
 * opens one a run made before: better-sqlite3 opens a file already in WAL mode with NORMAL, where
 * a power cut can undo commits that had returned, so the first run was durable and every later
 * one was not (ledger/sqlite-connection.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { configureSqliteConnection } from '../../ledger/sqlite-connection.js';

const FULL = 2;
const dir = mkdtempSync(join(tmpdir(), 'lb-sqlite-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function opened(file: string): Database.Database {
  const conn = new Database(file);
  configureSqliteConnection(conn, 5000);
  return conn;
}

describe('a SQLite ledger connection', () => {
  it('syncs every commit on the file it creates and on the same file opened again', () => {
    const file = join(dir, 'ledger.db');
    const first = opened(file);
    expect(first.pragma('synchronous', { simple: true })).toBe(FULL);
    first.exec('create table t (x integer)');
    first.close();
    const again = opened(file);
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.pragma('synchronous', { simple: true })).toBe(FULL);
    again.close();
  });
});
