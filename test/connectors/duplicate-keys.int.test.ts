/**
 * A key column that holds one key on several rows, read through the SQL connector on real SQLite,
 * PostgreSQL and MariaDB: rows of a key current at once (one cursor value, or no cursor) with
 * different content are all quarantined as LB_SOURCE_KEY_DUPLICATE, whatever the page size (a tie
 * at a page's end is read whole, so they always meet in one page); identical copies pass; within
 * one page an older cursor of a key gives way to the newer row; a table whose key is unique
 * reads as before.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceRow, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { type FreshEngine, freshMariadb, freshPostgres, freshSqlite } from './fresh-engines.js';

const DUPLICATE = 'LB_SOURCE_KEY_DUPLICATE';
const quiet = createLogger({ level: 'silent' });
const at = (s: number) => `2024-03-01 08:00:${String(s).padStart(2, '0')}`;

/** [key, content, cursor], in no particular order. */
const ROWS: [string, string, string | null][] = [
  ['A', 'a', at(1)],
  ['B', 'b-shop', at(2)],
  ['B', 'b-stall', at(2)],
  ['C', 'c', at(3)],
  ['C', 'c', at(3)],
  ['D', 'd-old', at(1)],
  ['D', 'd-new', at(4)],
  ['E', 'e-null', null],
  ['E', 'e-set', at(5)],
  ['F', 'f', at(5)],
];

interface Engine extends FreshEngine {
  cursorType: string;
}

const mc = (r: SourceRow) => String(r.values.MC);
/** [content, key, problem codes] by content: the order within a tie is the database's. */
const seen = (rows: SourceRow[]) =>
  rows
    .map((r) => [mc(r), r.key, r.problems?.map((p) => p.code) ?? []] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));

function describeEngine(name: string, engine: () => Engine): void {
  describe(name, () => {
    let source: SourceConnector;
    beforeAll(async () => {
      const { q, exec, cursorType } = engine();
      await exec(
        `CREATE TABLE ${q('T_DUP')} (${q('K')} VARCHAR(10) NOT NULL, ${q('MC')} VARCHAR(20), ${q('GXSJ')} ${cursorType})`,
      );
      const lit = (v: string | null) => (v === null ? 'NULL' : `'${v}'`);
      await exec(
        `INSERT INTO ${q('T_DUP')} (${q('K')}, ${q('MC')}, ${q('GXSJ')}) VALUES ${ROWS.map((r) => `(${r.map(lit).join(', ')})`).join(', ')}`,
      );
      // An index leading with the key: rows of one key in different pages are compared through it.
      await exec(`CREATE INDEX ${q('IX_DUP_K')} ON ${q('T_DUP')} (${q('K')})`);
      await exec(
        `CREATE TABLE ${q('T_ONE')} (${q('K')} VARCHAR(10) PRIMARY KEY, ${q('MC')} VARCHAR(20), ${q('GXSJ')} ${cursorType})`,
      );
      await exec(
        `INSERT INTO ${q('T_ONE')} VALUES ('A', 'a', '${at(1)}'), ('B', 'b', '${at(1)}'), ('C', 'c', '${at(1)}'), ('D', 'd', '${at(2)}')`,
      );
      source = await openSource('legacy', engine().config(), { logger: quiet });
    });
    afterAll(async () => source?.close());

    const cursorStream: StreamSpec = { table: 'T_DUP', key: 'K', cursor: 'GXSJ' };
    const keyStream: StreamSpec = { table: 'T_DUP', key: 'K' };

    it('a cursor stream quarantines a key held by two rows at one cursor, at every page size', async () => {
      for (const pageSize of [1, 2, 3, 100]) {
        const rows = (await readAll(source, cursorStream, pageSize)).flatMap((p) => p.rows);
        const b = rows.filter((r) => r.key === 'B');
        expect(b.map(mc).sort(), `page size ${pageSize}`).toEqual(['b-shop', 'b-stall']);
        for (const r of b) {
          expect(r.problems).toEqual([expect.objectContaining({ column: 'K', code: DUPLICATE })]);
          expect(r.problems?.[0]?.message).toContain('2 rows');
          expect(r.problems?.[0]?.message).toContain('source legacy');
        }
        // Identical copies are one state, and pass.
        expect(rows.filter((r) => r.key === 'C').map((r) => r.problems ?? [])).toEqual([[], []]);
        expect(rows.find((r) => r.key === 'A')?.problems).toBeUndefined();
      }
    });

    it('an older cursor of a key gives way to the newer row, in its page or a later one', async () => {
      for (const pageSize of [1, 2, 3, 100]) {
        const rows = (await readAll(source, cursorStream, pageSize)).flatMap((p) => p.rows);
        expect(seen(rows), `page size ${pageSize}`).toEqual([
          ['a', 'A', []],
          ['b-shop', 'B', [DUPLICATE]],
          ['b-stall', 'B', [DUPLICATE]],
          ['c', 'C', []],
          ['c', 'C', []],
          ['d-new', 'D', []],
          ['e-set', 'E', []],
          ['f', 'F', []],
        ]);
      }
    });

    it('a row changed between two pages of one read is read again at its newer cursor', async () => {
      const { q, exec } = engine();
      await exec(
        `CREATE TABLE ${q('T_MOVE')} (${q('K')} VARCHAR(10), ${q('MC')} VARCHAR(20), ${q('GXSJ')} ${engine().cursorType})`,
      );
      await exec(
        `INSERT INTO ${q('T_MOVE')} VALUES ('A', 'a', '${at(1)}'), ('B', 'b', '${at(2)}'), ('C', 'c', '${at(3)}')`,
      );
      const rows: SourceRow[] = [];
      for await (const page of source.read({
        stream: { table: 'T_MOVE', key: 'K', cursor: 'GXSJ' },
        after: null,
        pageSize: 1,
      })) {
        if (rows.length === 0)
          await exec(
            `UPDATE ${q('T_MOVE')} SET ${q('MC')} = 'a2', ${q('GXSJ')} = '${at(9)}' WHERE ${q('K')} = 'A'`,
          );
        rows.push(...page.rows);
      }
      expect(rows.map((r) => [r.key, mc(r), r.problems ?? []])).toEqual([
        ['A', 'a', []],
        ['B', 'b', []],
        ['C', 'c', []],
        ['A', 'a2', []],
      ]);
    });

    it('a key column that leads no index is named once, and its rows in different pages are not compared', async () => {
      const { q, exec, cursorType } = engine();
      await exec(
        `CREATE TABLE ${q('T_NOIDX')} (${q('K')} VARCHAR(10) NOT NULL, ${q('MC')} VARCHAR(20), ${q('GXSJ')} ${cursorType})`,
      );
      await exec(
        `INSERT INTO ${q('T_NOIDX')} VALUES ('D', 'd-old', '${at(1)}'), ('A', 'a', '${at(2)}'), ('D', 'd-new', '${at(4)}')`,
      );
      let text = '';
      const destination = new Writable({
        write(chunk: Buffer, _e, done) {
          text += chunk.toString('utf8');
          done();
        },
      });
      const logged = await openSource('legacy', engine().config(), {
        logger: createLogger({ destination, level: 'warn' }),
      });
      try {
        const stream = { table: 'T_NOIDX', key: 'K', cursor: 'GXSJ' };
        for (let i = 0; i < 2; i++) {
          const rows = (await readAll(logged, stream, 1)).flatMap((p) => p.rows);
          expect(rows.map(mc)).toEqual(['d-old', 'a', 'd-new']);
        }
      } finally {
        await logged.close();
      }
      const notes = text.split('\n').filter((l) => l.includes('leads no index'));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('T_NOIDX');
      expect(notes[0]).not.toContain('d-old');
    });

    it('a key-only stream quarantines every key whose rows differ, never taking one of them', async () => {
      for (const pageSize of [1, 2, 100]) {
        const rows = (await readAll(source, keyStream, pageSize)).flatMap((p) => p.rows);
        expect(seen(rows), `page size ${pageSize}`).toEqual([
          ['a', 'A', []],
          ['b-shop', 'B', [DUPLICATE]],
          ['b-stall', 'B', [DUPLICATE]],
          ['c', 'C', []],
          ['c', 'C', []],
          ['d-new', 'D', [DUPLICATE]],
          ['d-old', 'D', [DUPLICATE]],
          ['e-null', 'E', [DUPLICATE]],
          ['e-set', 'E', [DUPLICATE]],
          ['f', 'F', []],
        ]);
      }
    });

    it('a table whose key is unique reads every row once, unflagged', async () => {
      for (const stream of [
        { table: 'T_ONE', key: 'K', cursor: 'GXSJ' },
        { table: 'T_ONE', key: 'K' },
      ]) {
        const rows = (await readAll(source, stream, 2)).flatMap((p) => p.rows);
        expect(seen(rows)).toEqual([
          ['a', 'A', []],
          ['b', 'B', []],
          ['c', 'C', []],
          ['d', 'D', []],
        ]);
      }
    });
  });
}

const sqlite = freshSqlite('lb-dup-keys-');
const postgres = freshPostgres();
const mariadb = freshMariadb();

describeEngine('on SQLite', () => ({ ...sqlite(), cursorType: 'TEXT' }));

describeEngine('on PostgreSQL', () => ({ ...postgres(), cursorType: 'TIMESTAMP(6)' }));

describeEngine('on MariaDB', () => ({ ...mariadb(), cursorType: 'DATETIME(6)' }));
