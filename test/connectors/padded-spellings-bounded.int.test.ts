/**
 * The trimmed spellings of a page's keys stored with trailing spaces (padded-keys.ts), on real
 * SQLite, PostgreSQL and MariaDB, over a legacy table whose key column is not unique: `K` on 3,000
 * rows (a history of changes) beside one row of `K `. Asking whether the source holds `K` read
 * every row holding it into memory, 3,000 for one page key and again for each page holding a
 * padded key of it: memory and time grew with the rows of a key, not with the page. Each stored
 * spelling now comes back once.
 */
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedStream } from '../../connectors/sql/keyset.js';
import { withPaddedSpellings } from '../../connectors/sql/padded-keys.js';
import { describeOrFail } from '../../connectors/sql/resolve-stream.js';
import { type FreshEngine, freshMariadb, freshPostgres, freshSqlite } from './fresh-engines.js';

const MANY = 3_000;

/** [key, change number]: `K` on MANY rows, `K ` and `k` once, `J ` without a trimmed twin. */
function fixture(): [string, number][] {
  const rows: [string, number][] = [];
  for (let i = 0; i < MANY; i++) rows.push(['K', i]);
  rows.push(['K ', MANY], ['k', MANY + 1], ['J ', MANY + 2]);
  return rows;
}

interface Engine extends FreshEngine {
  /** The key column's collation clause. */
  keyCollation: string;
  /** The stored keys the database takes for `K` and `J`: under PAD SPACE or RTRIM, `J ` for `J`. */
  held: string[];
}

function describeEngine(name: string, engine: () => Engine): void {
  describe(name, () => {
    let db: Knex;
    let s: ResolvedStream;
    // The rows of each answer the driver handed over.
    const answers: number[] = [];
    beforeAll(async () => {
      const { q, exec, keyCollation } = engine();
      await exec(
        `CREATE TABLE ${q('T_PADDED')} (${q('K')} VARCHAR(10) ${keyCollation} NOT NULL, ${q('N')} INTEGER NOT NULL)`,
      );
      const values = fixture().map(([k, n]) => `('${k}', ${n})`);
      await exec(`INSERT INTO ${q('T_PADDED')} (${q('K')}, ${q('N')}) VALUES ${values.join(', ')}`);
      await exec(`CREATE INDEX ${q('IX_PADDED_K')} ON ${q('T_PADDED')} (${q('K')})`);
      db = knex(await engine().dialect.knexConfig('padded', engine().config()));
      db.on('query-response', (response: unknown) => {
        if (Array.isArray(response)) answers.push(response.length);
      });
      const { columns } = await describeOrFail(db, engine().dialect, 'padded', 'T_PADDED');
      const key = columns.find((c) => c.name === 'K') as (typeof columns)[number];
      s = { table: 'T_PADDED', columns, key };
    });
    afterAll(async () => db?.destroy());

    it('tells each stored spelling of a padded page key trimmed once, however many rows hold it', async () => {
      const { dialect, held: like } = engine();
      answers.length = 0;
      const none = { newest: new Map<string, string | null>(), spellings: new Set<string>() };
      const held = await withPaddedSpellings(db, dialect, s, [{ K: 'K ' }, { K: 'J ' }], none, true);
      expect([...held.spellings].sort()).toEqual([...like].sort());
      expect(answers.length).toBeGreaterThan(0);
      expect(Math.max(...answers)).toBeLessThanOrEqual(like.length);
    });
  });
}

const sqlite = freshSqlite('lb-padded-spellings-');
const postgres = freshPostgres();
const mariadb = freshMariadb();

describeEngine('on SQLite, the key column COLLATE RTRIM', () => ({
  ...sqlite(),
  keyCollation: 'COLLATE RTRIM',
  held: ['K', 'K ', 'J '],
}));

describeEngine('on PostgreSQL', () => ({ ...postgres(), keyCollation: '', held: ['K'] }));

describeEngine('on MariaDB, the key column utf8mb4_general_ci (PAD SPACE, case-insensitive)', () => ({
  ...mariadb(),
  keyCollation: 'COLLATE utf8mb4_general_ci',
  held: ['K', 'K ', 'k', 'J '],
}));
