/**
 * The SQLite ledger's connection keeps its compiled statements by text (cacheStatements in
 * ledger/sqlite-connection.ts): knex asks for `prepare` on every query, and compiling the same page
 * statements again and again was a tenth of the ledger's time in a run.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import {
  cacheStatements,
  SQLITE_CACHED_PARAMS_BUDGET,
  SQLITE_CACHED_PARAMS_MAX,
  SQLITE_CACHED_TEXT_BUDGET,
  SQLITE_CACHED_TEXT_MAX,
  SQLITE_STATEMENT_CACHE,
} from '../../ledger/sqlite-connection.js';

function counted() {
  const db = new Database(':memory:');
  let compiled = 0;
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    compiled += 1;
    return prepare(source);
  }) as typeof db.prepare;
  cacheStatements(db);
  return { db, compiled: () => compiled };
}

describe('cached SQLite statements', () => {
  it('compiles a statement once and hands the same one back for the same text', () => {
    const { db, compiled } = counted();
    db.prepare('create table t (k integer primary key, v text)').run();
    const insert = 'insert into t (k, v) values (?, ?)';
    for (let i = 1; i <= 5; i++) db.prepare(insert).run(i, `v${i}`);
    expect(compiled()).toBe(2);
    expect(db.prepare(insert)).toBe(db.prepare(insert));
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 5 });
  });

  it('keeps the most recently used statements and compiles an evicted one again', () => {
    const { db, compiled } = counted();
    const text = (i: number) => `select ${i} as n`;
    for (let i = 0; i < SQLITE_STATEMENT_CACHE; i++) db.prepare(text(i));
    // Touching the oldest makes it the newest: the next new text evicts text(1) instead.
    db.prepare(text(0));
    db.prepare(text(SQLITE_STATEMENT_CACHE));
    expect(compiled()).toBe(SQLITE_STATEMENT_CACHE + 1);
    db.prepare(text(0));
    expect(compiled()).toBe(SQLITE_STATEMENT_CACHE + 1);
    db.prepare(text(1));
    expect(compiled()).toBe(SQLITE_STATEMENT_CACHE + 2);
    expect(db.prepare(text(1)).get()).toEqual({ n: 1 });
  });

  it('compiles a statement longer than the longest kept each time instead of keeping it', () => {
    const { db, compiled } = counted();
    db.prepare('create table t (k integer primary key)').run();
    const long = `select k, '${'x'.repeat(SQLITE_CACHED_TEXT_MAX)}' as pad from t`;
    expect(long.length).toBeGreaterThan(SQLITE_CACHED_TEXT_MAX);
    const before = compiled();
    db.prepare(long);
    db.prepare(long);
    expect(compiled()).toBe(before + 2);
  });

  it('keeps the IN list of a batch, whose text repeats with every page of the same size', () => {
    const { db, compiled } = counted();
    db.prepare('create table t (k integer primary key)').run();
    const list = `select k from t where k in (${Array(500).fill('?').join(', ')})`;
    expect(list.length).toBeGreaterThan(1000);
    const before = compiled();
    for (let i = 0; i < 3; i++) db.prepare(list);
    expect(compiled()).toBe(before + 1);
  });

  it('compiles an IN list of more parameters than the most kept each time (a one-off of a large operation)', () => {
    const { db, compiled } = counted();
    db.prepare('create table t (k integer primary key)').run();
    const list = `select k from t where k in (${Array(SQLITE_CACHED_PARAMS_MAX + 1)
      .fill('?')
      .join(',')})`;
    expect(list.length).toBeLessThanOrEqual(SQLITE_CACHED_TEXT_MAX);
    const before = compiled();
    db.prepare(list);
    db.prepare(list);
    expect(compiled()).toBe(before + 2);
  });

  it('keeps no more bind parameters than its budget, pushing out the least recently used', () => {
    const { db, compiled } = counted();
    db.prepare('create table t (k integer primary key)').run();
    // Lists of the most parameters kept: `fit` of them fill the budget, one more pushes out the
    // least recently used.
    const n = SQLITE_CACHED_PARAMS_MAX;
    const fit = Math.floor(SQLITE_CACHED_PARAMS_BUDGET / n);
    const list = (i: number) => `select k + ${i} from t where k in (${Array(n).fill('?').join(',')})`;
    expect(fit + 2).toBeLessThanOrEqual(SQLITE_STATEMENT_CACHE);
    expect((fit + 1) * list(0).length).toBeLessThanOrEqual(SQLITE_CACHED_TEXT_BUDGET);
    expect(list(0).length).toBeLessThanOrEqual(SQLITE_CACHED_TEXT_MAX);
    for (let i = 0; i < fit; i++) db.prepare(list(i));
    const before = compiled();
    db.prepare(list(1));
    db.prepare(list(fit));
    expect(compiled()).toBe(before + 1);
    db.prepare(list(0));
    expect(compiled()).toBe(before + 2);
  });

  it('keeps no more text than its budget, pushing out the least recently used', () => {
    const { db, compiled } = counted();
    db.prepare('create table t (k integer primary key)').run();
    // Texts of nearly the longest kept: `fit` of them fill the budget (beside `create table`),
    // one more pushes out the least recently used.
    const pad = 'x'.repeat(SQLITE_CACHED_TEXT_MAX - 100);
    const text = (i: number) => `select k + ${i}, '${pad}' as pad from t`;
    const fit = Math.floor((SQLITE_CACHED_TEXT_BUDGET - 100) / text(0).length);
    expect(text(0).length).toBeLessThanOrEqual(SQLITE_CACHED_TEXT_MAX);
    expect((fit + 1) * text(0).length).toBeGreaterThan(SQLITE_CACHED_TEXT_BUDGET);
    expect(fit + 2).toBeLessThanOrEqual(SQLITE_STATEMENT_CACHE);
    for (let i = 0; i < fit; i++) db.prepare(text(i));
    const before = compiled();
    db.prepare(text(1));
    db.prepare(text(fit));
    expect(compiled()).toBe(before + 1);
    db.prepare(text(1));
    db.prepare(text(fit));
    expect(compiled()).toBe(before + 1);
    db.prepare(text(0));
    expect(compiled()).toBe(before + 2);
  });

  it('a kept statement still runs right after the schema changed under it', () => {
    const { db } = counted();
    db.prepare('create table t (k integer primary key, v text)').run();
    db.prepare('insert into t (k, v) values (1, ?)').run('a');
    const select = 'select * from t';
    expect(db.prepare(select).all()).toEqual([{ k: 1, v: 'a' }]);
    db.prepare('alter table t add column w text default null').run();
    db.prepare('update t set w = ?').run('b');
    expect(db.prepare(select).all()).toEqual([{ k: 1, v: 'a', w: 'b' }]);
  });

  it("a page's id lists are compiled once whatever the page holds (padded to a few lengths)", async () => {
    const proto = Database.prototype as { prepare(source: string): unknown };
    const original = proto.prepare;
    const texts: string[] = [];
    proto.prepare = function counting(this: unknown, source: string) {
      texts.push(source);
      return original.call(this, source);
    };
    try {
      const ledger = await openLedger('sqlite://:memory:', { logger: createLogger({ level: 'silent' }) });
      try {
        // A page of 500 rows less its quarantined ones: a count of its own nearly every page.
        const ids = (n: number) => Array.from({ length: n }, (_, i) => 1_000_000 + i);
        await ledger.getVersions(ids(500));
        await ledger.getSignatures(ids(500));
        const after = texts.length;
        for (const n of [489, 491, 495, 499]) {
          expect(await ledger.getVersions(ids(n))).toEqual([]);
          expect(await ledger.getSignatures(ids(n))).toEqual([]);
        }
        expect(texts.slice(after)).toEqual([]);
      } finally {
        await ledger.close();
      }
    } finally {
      proto.prepare = original;
    }
  });

  it('the ledger opens its SQLite connection with the cache', async () => {
    const proto = Database.prototype as { prepare(source: string): unknown };
    const original = proto.prepare;
    const texts: string[] = [];
    proto.prepare = function counting(this: unknown, source: string) {
      texts.push(source);
      return original.call(this, source);
    };
    try {
      const ledger = await openLedger('sqlite://:memory:', { logger: createLogger({ level: 'silent' }) });
      try {
        await ledger.getRun('no-such-run');
        const after = texts.length;
        for (let i = 0; i < 3; i++) expect(await ledger.getRun('no-such-run')).toBeNull();
        expect(texts.length).toBe(after);
      } finally {
        await ledger.close();
      }
    } finally {
      proto.prepare = original;
    }
  });
});
