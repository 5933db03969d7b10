/**
 * What the source holds of a page's keys (key-cursors.ts), on real SQLite, PostgreSQL and MariaDB,
 * over a legacy table whose key column is not unique: one key on 3,000 rows, some with a NULL
 * cursor; a key whose rows all have a NULL cursor; keys that differ as stored only by trailing
 * spaces or case, which a PAD SPACE or case-insensitive collation takes for one. Each stored key
 * comes back once, with its row count and newest cursor: every row of a repeated key was read
 * into memory at once to find them.
 */
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newestOfKeys, newestOfRepeatedKeys } from '../../connectors/sql/key-cursors.js';
import type { ResolvedStream } from '../../connectors/sql/keyset.js';
import { describeOrFail } from '../../connectors/sql/resolve-stream.js';
import { type FreshEngine, freshMariadb, freshPostgres, freshSqlite } from './fresh-engines.js';

const MANY = 3_000;
const two = (n: number) => String(n).padStart(2, '0');
/** The cursor `s` seconds after 08:00 as the fixture writes it. */
const at = (s: number) =>
  `2024-03-01 ${two(8 + Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;

/** [key, cursor]: K on MANY rows, every 100th with a NULL cursor, its newest in the middle. */
function fixture(): [string, string | null][] {
  const rows: [string, string | null][] = [];
  for (let i = 0; i < MANY; i++) rows.push(['K', i % 100 === 0 ? null : at((i * 7) % MANY)]);
  rows.push(['N', null], ['N', null], ['M', null], ['M', at(5)], ['M', at(3)], ['S', at(4)]);
  rows.push(['P', at(1)], ['P', at(2)], ['P ', at(9)], ['p', at(7)]);
  return rows;
}
// (i * 7) % 3000 reaches 2999 at i = 1857, no multiple of 100.
const NEWEST_K = at(MANY - 1);

interface Engine extends FreshEngine {
  cursorType: string;
  /** The key column's collation clause. */
  keyCollation: string;
  /** A cursor's checkpoint text as the dialect reads it. */
  text(cursor: string): string;
  /** The stored keys the database takes for `P`. */
  likeP: string[];
}

function describeEngine(name: string, engine: () => Engine): void {
  describe(name, () => {
    let db: Knex;
    let s: ResolvedStream;
    // The rows of each answer the driver handed over.
    const answers: number[] = [];
    beforeAll(async () => {
      const { q, exec, cursorType, keyCollation } = engine();
      await exec(
        `CREATE TABLE ${q('T_HELD')} (${q('K')} VARCHAR(10) ${keyCollation} NOT NULL, ${q('GXSJ')} ${cursorType})`,
      );
      const lit = (v: string | null) => (v === null ? 'NULL' : `'${v}'`);
      const values = fixture().map(([k, c]) => `(${lit(k)}, ${lit(c)})`);
      await exec(`INSERT INTO ${q('T_HELD')} (${q('K')}, ${q('GXSJ')}) VALUES ${values.join(', ')}`);
      await exec(`CREATE INDEX ${q('IX_HELD_K')} ON ${q('T_HELD')} (${q('K')})`);
      db = knex(await engine().dialect.knexConfig('held', engine().config()));
      db.on('query-response', (response: unknown) => {
        if (Array.isArray(response)) answers.push(response.length);
      });
      const { columns } = await describeOrFail(db, engine().dialect, 'held', 'T_HELD');
      const column = (n: string) => columns.find((c) => c.name === n) as (typeof columns)[number];
      s = { table: 'T_HELD', columns, key: column('K'), cursor: column('GXSJ') };
    });
    afterAll(async () => db?.destroy());

    it('gives each repeated key its newest cursor, one answer row a key, however many rows hold it', async () => {
      const { dialect, text } = engine();
      answers.length = 0;
      const newest = await newestOfKeys(db, dialect, s, ['K', 'N', 'M', 'S', 'P', 'P ', 'p', 'Q']);
      expect(Object.fromEntries(newest)).toEqual({
        K: text(NEWEST_K),
        // All its rows NULL: none newer than another.
        N: null,
        M: text(at(5)),
        // Its own rows only, not those of `P ` or `p`.
        P: text(at(2)),
      });
      expect(answers.length).toBeGreaterThan(0);
      expect(Math.max(...answers)).toBeLessThanOrEqual(8);
    });

    it('a stream whose cursor is its key column: each repeated key its own value as newest', async () => {
      const { dialect } = engine();
      const same = { ...s, cursor: s.key };
      const newest = await newestOfKeys(db, dialect, same, ['K', 'N', 'M', 'S', 'P', 'P ', 'p', 'Q']);
      expect(Object.fromEntries(newest)).toEqual({ K: 'K', N: 'N', M: 'M', P: 'P' });
    });

    it('tells every stored spelling the database takes for a page key', async () => {
      const { dialect, likeP } = engine();
      const held = await newestOfRepeatedKeys(db, dialect, s, [{ K: 'P' }, { K: 'P' }]);
      expect([...held.spellings].sort()).toEqual([...likeP].sort());
      expect(Object.fromEntries(held.newest)).toEqual({ P: engine().text(at(2)) });
    });
  });
}

const sqlite = freshSqlite('lb-held-keys-');
const postgres = freshPostgres();
const mariadb = freshMariadb();

describeEngine('on SQLite, the key column COLLATE RTRIM', () => ({
  ...sqlite(),
  cursorType: 'TEXT',
  keyCollation: 'COLLATE RTRIM',
  text: (c) => c,
  likeP: ['P', 'P '],
}));

describeEngine('on PostgreSQL', () => ({
  ...postgres(),
  cursorType: 'TIMESTAMP(6)',
  keyCollation: '',
  text: (c) => c,
  likeP: ['P'],
}));

describeEngine('on MariaDB, the key column utf8mb4_general_ci (PAD SPACE, case-insensitive)', () => ({
  ...mariadb(),
  cursorType: 'DATETIME(6)',
  keyCollation: 'COLLATE utf8mb4_general_ci',
  text: (c) => `${c}.000000`,
  likeP: ['P', 'P ', 'p'],
}));
