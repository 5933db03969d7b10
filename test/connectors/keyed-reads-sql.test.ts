/**
 * The query that reads a quarantined key's rows again (keyed-reads.ts `keyedRowsQuery`): the
 * trailing-space LIKE that keeps `'K1'` and `'K1 '` ambiguous is asked only for a key a page found
 * ambiguous. OR'd with the equality it made PostgreSQL and SQLite scan the department's whole
 * table at every run a key was open, an indexed key too. SQLite's plan is read on a real table;
 * PostgreSQL's SQL is compiled without a connection.
 */
import Database from 'better-sqlite3';
import knexModule, { type Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { sqliteDialect } from '../../connectors/sql/dialects/sqlite/dialect.js';
import { keyedRowsQuery } from '../../connectors/sql/keyed-reads.js';
import type { ResolvedStream } from '../../connectors/sql/keyset.js';

const key: ColumnMeta = {
  name: 'XKZBH',
  type: 'varchar(30)',
  nullable: false,
  primaryKey: false,
  unique: false,
  leadsIndex: true,
};
const s: ResolvedStream = { table: 'T_XKZ', columns: [], key };

describe('reading quarantined keys again by key', () => {
  let db: Knex | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  it('SQLite: a key not found ambiguous is looked up by the index, with no LIKE', () => {
    db = knexModule({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    const plain = keyedRowsQuery(db, sqliteDialect, s, ['K1', 'K2'], true, new Set()).toSQL().toNative();
    expect(plain.sql.toLowerCase()).not.toContain('like');
    const spaced = keyedRowsQuery(db, sqliteDialect, s, ['K1', 'K2'], true, new Set(['K2']))
      .toSQL()
      .toNative();
    expect(spaced.sql.toLowerCase()).toContain('like');
    expect(spaced.bindings).toContain('K2 %');
    expect(spaced.bindings).not.toContain('K1 %');

    const legacy = new Database(':memory:');
    legacy.exec(
      'CREATE TABLE T_XKZ (ID INTEGER PRIMARY KEY, XKZBH VARCHAR(30)); CREATE INDEX IX_XKZBH ON T_XKZ (XKZBH)',
    );
    const plan = (q: { sql: string; bindings: readonly unknown[] }) =>
      (legacy.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.bindings) as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
    expect(plan(plain)).toMatch(/SEARCH T_XKZ USING (COVERING )?INDEX IX_XKZBH/);
    // The ambiguous key's LIKE is the scan this keeps to the keys that need it.
    expect(plan(spaced)).toMatch(/SCAN T_XKZ/);
    legacy.close();
  });

  it('SQLite: a key stored with one to three trailing spaces is found by the index, with no LIKE', () => {
    // A row keyed 'K1 ' quarantined for its mapping: a run keys it 'K1' (trimmed), and on a database
    // comparing without PAD SPACE the equality on 'K1' alone never found it again.
    db = knexModule({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    const q = keyedRowsQuery(db, sqliteDialect, s, ['K1', 'K2', 'K3'], true, new Set()).toSQL().toNative();
    expect(q.sql.toLowerCase()).not.toContain('like');
    const legacy = new Database(':memory:');
    legacy.exec(
      "CREATE TABLE T_XKZ (ID INTEGER PRIMARY KEY, XKZBH VARCHAR(30)); CREATE INDEX IX_XKZBH ON T_XKZ (XKZBH); INSERT INTO T_XKZ (XKZBH) VALUES ('K1 '), ('K2   '), ('K3'), ('K1 X'), ('K4 ')",
    );
    const found = (legacy.prepare(q.sql).all(...q.bindings) as { XKZBH: string }[]).map((r) => r.XKZBH);
    expect(found.sort()).toEqual(['K1 ', 'K2   ', 'K3']);
    const plan = (legacy.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.bindings) as { detail: string }[])
      .map((r) => r.detail)
      .join('; ');
    expect(plan).toMatch(/SEARCH T_XKZ USING (COVERING )?INDEX IX_XKZBH/);
    legacy.close();
  });

  it('a key not trimmed is looked up as it is', () => {
    db = knexModule({ client: 'pg', connection: {} });
    const q = keyedRowsQuery(db, postgresDialect, s, ['K1'], false, new Set()).toSQL().toNative();
    expect(q.bindings).toEqual(['K1']);
  });

  it('PostgreSQL: the equality alone for a key not found ambiguous', () => {
    db = knexModule({ client: 'pg', connection: {} });
    const plain = keyedRowsQuery(db, postgresDialect, s, ['K1'], true, new Set()).toSQL().toNative();
    expect(plain.sql.toLowerCase()).not.toContain('like');
    const spaced = keyedRowsQuery(db, postgresDialect, s, ['K1'], true, new Set(['K1']))
      .toSQL()
      .toNative();
    expect(spaced.sql).toMatch(/LIKE \$\d+ ESCAPE '!'/);
    expect(spaced.bindings).toContain('K1 %');
  });
});
