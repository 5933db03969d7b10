/**
 * A row's fingerprint covers every column: an in-place edit of any one column, whichever, shows as a
 * changed fingerprint for that row and no other. Run on each dialect with an in-database
 * fingerprint (PostgreSQL, MariaDB) and on the JavaScript path (SQLite).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import {
  createMariadbDatabase,
  createPgDatabase,
  type FreshMariadb,
  type FreshPg,
  MARIADB,
  PG,
} from './servers.js';

const stream = { table: 't_cols', key: 'id', cursor: 't' };

/** One edit per non-key column, each on its own row (key → the SQL that changes one column of it). */
const EDITS: ReadonlyArray<readonly [string, string]> = [
  ['1', "UPDATE t_cols SET mc = 'other' WHERE id = 1"],
  ['2', 'UPDATE t_cols SET n = 2.75 WHERE id = 2'],
  ['3', 'UPDATE t_cols SET q = 99 WHERE id = 3'],
  ['4', "UPDATE t_cols SET d = '2030-01-01' WHERE id = 4"],
  ['5', 'UPDATE t_cols SET mc = NULL WHERE id = 5'],
  ['6', 'UPDATE t_cols SET last_col = 42 WHERE id = 6'],
];
// The cursor column changes too, but moving it would move the row between pages: it is edited
// last, on its own, so a dropped cursor column is caught as well.
const CURSOR_EDIT = ['7', "UPDATE t_cols SET t = '2024-06-01 00:00:09' WHERE id = 7"] as const;

async function fingerprints(c: SourceConnector): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const page of c.read({ stream, after: null, pageSize: 4 })) {
    for (const [key, fp] of page.fingerprints ?? []) out.set(key, fp);
  }
  return out;
}

const changedKeys = (before: Map<string, string>, after: Map<string, string>): string[] =>
  [...after]
    .filter(([k, fp]) => before.get(k) !== fp)
    .map(([k]) => k)
    .sort();

/** Runs the edits in turn against `exec`, checking after each that exactly that row changed. */
async function eachColumnInTurn(c: SourceConnector, exec: (sql: string) => Promise<unknown>): Promise<void> {
  let before = await fingerprints(c);
  expect(before.size).toBe(10);
  for (const [key, sql] of [...EDITS, CURSOR_EDIT]) {
    await exec(sql);
    const after = await fingerprints(c);
    expect({ sql, changed: changedKeys(before, after) }).toEqual({ sql, changed: [key] });
    before = after;
  }
}

const ROWS = Array.from(
  { length: 10 },
  (_, i) =>
    `(${i + 1}, 'name ${i + 1}', ${i + 1}.25, ${i + 10}, '2024-01-0${(i % 9) + 1}', '2024-01-01 00:00:0${i}', ${i})`,
).join(', ');
const INSERT = `INSERT INTO t_cols (id, mc, n, q, d, t, last_col) VALUES ${ROWS}`;

describe('fingerprint covers every column: PostgreSQL (in-database)', () => {
  let fresh: FreshPg;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(
      'CREATE TABLE t_cols (id int PRIMARY KEY, mc varchar(20), n numeric(10,2), q int, d date, t timestamp(6), last_col int)',
    );
    await fresh.client.query(INSERT);
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it('changes the fingerprint of the edited row whichever column is edited', async () => {
    const c = await openSource('fp-pg', {
      kind: 'postgres',
      connection: { host: PG.host, port: PG.port, user: PG.user, database: fresh.database },
      trim: 'all',
      pageSize: 500,
    });
    try {
      await eachColumnInTurn(c, (sql) => fresh.client.query(sql));
    } finally {
      await c.close();
    }
  });
});

describe('fingerprint covers every column: MariaDB (in-database)', () => {
  let fresh: FreshMariadb;
  beforeAll(async () => {
    fresh = await createMariadbDatabase();
    await fresh.conn.query(
      'CREATE TABLE t_cols (id int PRIMARY KEY, mc varchar(20), n decimal(10,2), q int, d date, t datetime(6), last_col int)',
    );
    await fresh.conn.query(INSERT);
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it('changes the fingerprint of the edited row whichever column is edited', async () => {
    const c = await openSource('fp-maria', {
      kind: 'mysql',
      connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: fresh.database },
      trim: 'all',
      pageSize: 500,
    });
    try {
      await eachColumnInTurn(c, (sql) => fresh.conn.query(sql));
    } finally {
      await c.close();
    }
  });
});

describe('fingerprint covers every column: SQLite (computed in JavaScript)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'licbridge-fp-'));
  const file = join(dir, 'legacy.db');
  const writer = new Database(file);
  beforeAll(() => {
    writer.pragma('journal_mode = WAL');
    writer.exec(
      'CREATE TABLE t_cols (id integer PRIMARY KEY, mc text, n real, q integer, d text, t text, last_col integer)',
    );
    writer.exec(INSERT);
  });
  afterAll(() => {
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('changes the fingerprint of the edited row whichever column is edited', async () => {
    const config: SourceConfig = { kind: 'sqlite', path: file, trim: 'all', pageSize: 500 };
    const c = await openSource('fp-sqlite', config);
    try {
      await eachColumnInTurn(c, async (sql) => writer.exec(sql));
    } finally {
      await c.close();
    }
  });
});
