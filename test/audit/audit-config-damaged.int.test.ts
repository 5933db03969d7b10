/**
 * `audit config` reads the chain's `config` entries. SQLite keeps any value in any column: an
 * entry whose time is no time (or whose column holds bytes for text) must be listed all the same,
 * its value shown as text and the column named, as `audit show` does; it must not fail the whole
 * list with a parse error naming no entry.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';

describe('audit config on an entry holding values no writer writes', () => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await sqliteBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    for (const digest of ['a'.repeat(64), 'b'.repeat(64)]) {
      await ledger.configChanges.record({
        actor: 'operator:ops',
        digest,
        parts: { 'pipeline:food': digest },
      });
    }
    const db = new Database(database.url.slice('sqlite://'.length));
    try {
      db.prepare(`update audit_log set at = 'yesterday' where seq = 1`).run();
      db.prepare(`update audit_log set actor = x'00ff' where seq = 2`).run();
    } finally {
      db.close();
    }
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('lists every config entry, naming the columns that hold what no writer writes', async () => {
    const entries = await ledger.configChanges.list();
    expect(entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(entries[0]).toMatchObject({ at: 'yesterday', malformed: ['at'], digest: 'a'.repeat(64) });
    expect(entries[1]).toMatchObject({ actor: '00ff', malformed: ['actor'], digest: 'b'.repeat(64) });
    expect(entries[1]?.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});
