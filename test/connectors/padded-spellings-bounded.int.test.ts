/**
 * The trimmed spellings of a page's keys stored with trailing spaces (padded-keys.ts), on real
 * SQLite, PostgreSQL and MariaDB, over a legacy table whose key column is not unique: `K` on 3,000
 * rows (a history of changes) beside one row of `K `. Asking whether the source holds `K` read
 * every row holding it into memory, 3,000 for one page key and again for each page holding a
 * padded key of it: memory and time grew with the rows of a key, not with the page. Each stored
 * spelling now comes back once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { sqliteDialect } from '../../connectors/sql/dialects/sqlite/dialect.js';
import type { ResolvedStream } from '../../connectors/sql/keyset.js';
import { withPaddedSpellings } from '../../connectors/sql/padded-keys.js';
import { describeOrFail } from '../../connectors/sql/resolve-stream.js';
import {
  createMariadbDatabase,
  createPgDatabase,
  type FreshMariadb,
  type FreshPg,
  MARIADB,
  PG,
} from './servers.js';

const MANY = 3_000;

/** [key, change number]: `K` on MANY rows, `K ` and `k` once, `J ` without a trimmed twin. */
function fixture(): [string, number][] {
  const rows: [string, number][] = [];
  for (let i = 0; i < MANY; i++) rows.push(['K', i]);
  rows.push(['K ', MANY], ['k', MANY + 1], ['J ', MANY + 2]);
  return rows;
}

interface Engine {
  exec(sql: string): Promise<void>;
  config(): SourceConfig;
  dialect: SqlDialect;
  q(name: string): string;
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

let dir: string | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-padded-spellings-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describeEngine('on SQLite, the key column COLLATE RTRIM', () => {
  const path = join(dir ?? '', 'legacy.db');
  return {
    async exec(sql) {
      const db = new Database(path);
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    config: () => ({ kind: 'sqlite', path, trim: 'all', pageSize: 500 }),
    dialect: sqliteDialect,
    q: (n) => `"${n}"`,
    keyCollation: 'COLLATE RTRIM',
    held: ['K', 'K ', 'J '],
  };
});

let fresh: FreshPg | undefined;
beforeAll(async () => {
  fresh = await createPgDatabase();
});
afterAll(async () => fresh?.drop());

describeEngine('on PostgreSQL', () => ({
  async exec(sql) {
    await fresh?.client.query(sql);
  },
  config: () => ({
    kind: 'postgres',
    connection: { host: PG.host, port: PG.port, user: PG.user, database: fresh?.database ?? '' },
    trim: 'all',
    pageSize: 500,
  }),
  dialect: postgresDialect,
  q: (n) => `"${n}"`,
  keyCollation: '',
  held: ['K'],
}));

let maria: FreshMariadb | undefined;
beforeAll(async () => {
  maria = await createMariadbDatabase();
});
afterAll(async () => maria?.drop());

describeEngine('on MariaDB, the key column utf8mb4_general_ci (PAD SPACE, case-insensitive)', () => ({
  async exec(sql) {
    await maria?.conn.query(sql);
  },
  config: () => ({
    kind: 'mysql',
    connection: {
      host: MARIADB.host,
      port: MARIADB.port,
      user: MARIADB.user,
      database: maria?.database ?? '',
    },
    trim: 'all',
    pageSize: 500,
  }),
  dialect: mysqlDialect,
  q: (n) => `\`${n}\``,
  keyCollation: 'COLLATE utf8mb4_general_ci',
  held: ['K', 'K ', 'k', 'J '],
}));
