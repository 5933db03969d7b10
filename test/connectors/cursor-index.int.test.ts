/**
 * A cursor no index leads makes every keyset page a scan and sort of the whole table. On real
 * SQLite, PostgreSQL and MariaDB tables: the catalog says which columns lead an index (and which
 * only seem to: a partial, hash, prefix or second-column index), a source warns once per stream
 * when its cursor leads none — naming source, table, cursor and key, never a value — and says
 * nothing when one does; discovery notes it under the suggested stream.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec, TableInfo } from '../../connectors/source.js';
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { sqliteDialect } from '../../connectors/sql/dialects/sqlite/dialect.js';
import { describeOrFail } from '../../connectors/sql/resolve-stream.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import {
  createMariadbDatabase,
  createPgDatabase,
  type FreshMariadb,
  type FreshPg,
  MARIADB,
  pgSourceConfig,
} from './servers.js';

/** A logger whose lines are kept, parsed, for the test to read. */
function capturedLogger() {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const logger = createLogger({ destination, level: 'info' });
  const lines = () =>
    text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, text: () => text };
}

// A value that must never reach a log line (it stands for an ID number).
const SECRET = '370211198005123410';

interface Engine {
  /** Runs fixture DDL/DML as written. */
  exec(sql: string): Promise<void>;
  config(): SourceConfig;
  /** The engine's way of quoting an identifier. */
  q(name: string): string;
  /** The cursor column's declared type. */
  cursorType: string;
  dialect: SqlDialect;
}

/** Column name → leadsIndex, as the dialect reads the catalog through its own knex client. */
async function leads(engine: Engine, table: string): Promise<Record<string, boolean | null>> {
  const db = knex(await engine.dialect.knexConfig('t', engine.config()));
  try {
    const { columns } = await describeOrFail(db, engine.dialect, 't', table);
    return Object.fromEntries(columns.map((c) => [c.name, c.leadsIndex]));
  } finally {
    await db.destroy();
  }
}

/**
 * Eight random letters A–P after the tag: hex digits drew names such as `T_BARE_D5617061`, a letter
 * and seven digits, which the log's masking hides as a document number (`T_BARE_********`), and the
 * warning's table no longer matched (about one run in a few hundred).
 */
function tableName(tag: string): string {
  const letters = randomUUID()
    .replaceAll('-', '')
    .slice(0, 8)
    .replace(/[0-9a-f]/g, (c) => String.fromCharCode(65 + Number.parseInt(c, 16)));
  return `T_${tag}_${letters}`;
}

/** Two tables of one shape: one with an index on (GXSJ, ID), one with none leading with GXSJ. */
async function pairOfTables(engine: Engine): Promise<{ indexed: string; bare: string }> {
  const { q } = engine;
  const indexed = tableName('IDX');
  const bare = tableName('BARE');
  for (const t of [indexed, bare]) {
    await engine.exec(
      `CREATE TABLE ${q(t)} (${q('ID')} INTEGER PRIMARY KEY, ${q('GXSJ')} ${engine.cursorType}, ${q('MC')} VARCHAR(40))`,
    );
    await engine.exec(
      `INSERT INTO ${q(t)} (${q('ID')}, ${q('GXSJ')}, ${q('MC')}) VALUES (1, '2024-03-01 08:00:00', '${SECRET}'), (2, '2024-03-01 08:00:01', 'x')`,
    );
  }
  await engine.exec(`CREATE INDEX ${q(`IX_${indexed}`)} ON ${q(indexed)} (${q('GXSJ')}, ${q('ID')})`);
  // GXSJ second in an index orders nothing by GXSJ.
  await engine.exec(`CREATE INDEX ${q(`IX_${bare}`)} ON ${q(bare)} (${q('MC')}, ${q('GXSJ')})`);
  return { indexed, bare };
}

function describeEngine(name: string, engine: () => Engine, extra: (engine: () => Engine) => void): void {
  describe(name, () => {
    let indexed: string;
    let bare: string;
    beforeAll(async () => {
      ({ indexed, bare } = await pairOfTables(engine()));
    });

    it('says which columns lead an index: the primary key and the first column of each, not the second', async () => {
      expect(await leads(engine(), bare)).toEqual({ ID: true, GXSJ: false, MC: true });
      expect(await leads(engine(), indexed)).toEqual({ ID: true, GXSJ: true, MC: false });
    });

    it('warns once per stream when no index leads the cursor, naming source, table, cursor and key', async () => {
      const log = capturedLogger();
      const source = await openSource('market-food', engine().config(), { logger: log.logger });
      try {
        const stream: StreamSpec = { table: bare, key: 'ID', cursor: 'GXSJ' };
        await source.checkStream?.(stream);
        await readAll(source, stream, 1);
        await readAll(source, { ...stream, lagMs: 0 }, 1);
        expect(await source.count(stream)).toBe(2);
        const warnings = log.lines().filter((l) => l.level === 40);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatchObject({
          source: 'market-food',
          table: bare,
          cursor: 'GXSJ',
          keyColumn: 'ID',
        });
        expect(warnings[0]?.msg).toBe(
          `source market-food: no index of table \`${bare}\` leads with its cursor \`GXSJ\`: each page of an incremental read scans and sorts the whole table (on 1,000,000 rows about 300 ms a page instead of 6 ms); ask the department for an index on (GXSJ, ID)`,
        );
        expect(log.text()).not.toContain(SECRET);
      } finally {
        await source.close();
      }
    });

    it('says nothing when an index leads with the cursor, or the stream has no cursor', async () => {
      const log = capturedLogger();
      const source = await openSource('market-food', engine().config(), { logger: log.logger });
      try {
        await readAll(source, { table: indexed, key: 'ID', cursor: 'GXSJ' }, 1);
        await readAll(source, { table: bare, key: 'ID' }, 1);
        expect(log.lines().filter((l) => l.level === 40)).toEqual([]);
      } finally {
        await source.close();
      }
    });

    it('a second source instance warns again, once', async () => {
      const log = capturedLogger();
      for (let i = 0; i < 2; i++) {
        const source = await openSource('market-food', engine().config(), { logger: log.logger });
        await readAll(source, { table: bare, key: 'ID', cursor: 'GXSJ' }, 1);
        await readAll(source, { table: bare, key: 'ID', cursor: 'GXSJ' }, 2);
        await source.close();
      }
      expect(log.lines().filter((l) => l.level === 40)).toHaveLength(2);
    });

    it('discovery notes the missing index under the suggested stream, and only there', async () => {
      const source: SourceConnector = await openSource('market-food', engine().config());
      try {
        // GXSJ allows NULL here, which discovery notes too (discover-nullable-cursor.test.ts).
        const indexNotes = (t?: TableInfo) => (t?.notes ?? []).filter((n) => n.includes('index'));
        const [slow] = await source.discover({ table: bare });
        expect(indexNotes(slow)).toEqual([
          expect.stringContaining('ask the department for an index on (GXSJ, ID)'),
        ]);
        const [fast] = await source.discover({ table: indexed });
        expect(indexNotes(fast)).toEqual([]);
      } finally {
        await source.close();
      }
    });

    extra(engine);
  });
}

// ── SQLite ──────────────────────────────────────────────────────────────────────────────────────

const dir = mkdtempSync(join(tmpdir(), 'licbridge-cursor-index-'));
const file = join(dir, 'legacy.db');
const writer = new Database(file);
afterAll(() => {
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

const sqlite: Engine = {
  exec: async (sql) => void writer.exec(sql),
  config: () => ({ kind: 'sqlite', path: file, trim: 'all', pageSize: 500 }),
  q: (n) => `"${n}"`,
  cursorType: 'TEXT',
  dialect: sqliteDialect,
};

describeEngine(
  'sqlite',
  () => sqlite,
  (engine) => {
    it('counts no partial or expression index, a WITHOUT ROWID key, and cannot tell for a view', async () => {
      const t = tableName('SQ');
      writer.exec(`CREATE TABLE "${t}" (ID INTEGER PRIMARY KEY, GXSJ TEXT, XGSJ TEXT, MC TEXT)`);
      writer.exec(`CREATE INDEX "P_${t}" ON "${t}" (GXSJ, ID) WHERE GXSJ IS NOT NULL`);
      writer.exec(`CREATE INDEX "E_${t}" ON "${t}" (lower(MC), ID)`);
      writer.exec(`CREATE UNIQUE INDEX "U_${t}" ON "${t}" (XGSJ)`);
      writer.exec(`CREATE VIEW "V_${t}" AS SELECT * FROM "${t}"`);
      const w = tableName('WR');
      writer.exec(
        `CREATE TABLE "${w}" (K TEXT NOT NULL, GXSJ TEXT NOT NULL, PRIMARY KEY (GXSJ, K)) WITHOUT ROWID`,
      );
      expect(await leads(engine(), t)).toEqual({ ID: true, GXSJ: false, XGSJ: true, MC: false });
      expect(await leads(engine(), `V_${t}`)).toEqual({ ID: null, GXSJ: null, XGSJ: null, MC: null });
      expect(await leads(engine(), w)).toEqual({ K: false, GXSJ: true });
      // Nothing changed in what else the catalog says.
      const source = await openSource('s', engine().config());
      const [info] = await source.discover({ table: t });
      await source.close();
      expect(info?.candidateKeys).toEqual(['ID', 'XGSJ']);
    });

    it('finds the table by another spelling, as SQLite does', async () => {
      const t = tableName('CASE');
      writer.exec(`CREATE TABLE "${t}" (ID INTEGER PRIMARY KEY, GXSJ TEXT)`);
      writer.exec(`CREATE INDEX "IX_${t}" ON "${t}" (GXSJ, ID)`);
      expect(await leads(engine(), t.toLowerCase())).toEqual({ ID: true, GXSJ: true });
    });
  },
);

// ── PostgreSQL ──────────────────────────────────────────────────────────────────────────────────

let pgDb: FreshPg;
const postgres: Engine = {
  exec: async (sql) => void (await pgDb.client.query(sql)),
  config: () => pgSourceConfig(pgDb.database),
  q: (n) => `"${n}"`,
  cursorType: 'timestamp(6)',
  dialect: postgresDialect,
};

describe('on a fresh PostgreSQL database', () => {
  beforeAll(async () => {
    pgDb = await createPgDatabase();
  });
  afterAll(async () => {
    await pgDb?.drop();
  });

  describeEngine(
    'postgres',
    () => postgres,
    (engine) => {
      it('counts only valid, whole-table B-tree indexes, and cannot tell for a view', async () => {
        const t = tableName('PG');
        await engine().exec(
          `CREATE TABLE "${t}" ("ID" integer PRIMARY KEY, "GXSJ" timestamp(6), "XGSJ" timestamp(6), "CZSJ" timestamp(6), "MC" text)`,
        );
        await engine().exec(`CREATE INDEX ON "${t}" ("GXSJ", "ID") WHERE "GXSJ" IS NOT NULL`);
        await engine().exec(`CREATE INDEX ON "${t}" USING hash ("XGSJ")`);
        await engine().exec(`CREATE INDEX ON "${t}" USING brin ("CZSJ")`);
        await engine().exec(`CREATE INDEX ON "${t}" (lower("MC"))`);
        await engine().exec(`CREATE VIEW "V_${t}" AS SELECT * FROM "${t}"`);
        expect(await leads(engine(), t)).toEqual({
          ID: true,
          GXSJ: false,
          XGSJ: false,
          CZSJ: false,
          MC: false,
        });
        expect(await leads(engine(), `V_${t}`)).toEqual({
          ID: null,
          GXSJ: null,
          XGSJ: null,
          CZSJ: null,
          MC: null,
        });
        // A view's stream is not warned about: the catalog cannot tell. (Its key is declared
        // unique, or the stream is named for a key not known unique: sql-key-unique.int.test.ts.)
        const log = capturedLogger();
        const source = await openSource('pg', engine().config(), { logger: log.logger });
        await source.checkStream?.({ table: `V_${t}`, key: 'ID', cursor: 'GXSJ', keyUnique: true });
        await source.close();
        expect(log.lines()).toEqual([]);
      });

      it('reads the index in a schema of its own', async () => {
        const schema = `s_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
        await engine().exec(`CREATE SCHEMA ${schema}`);
        await engine().exec(`CREATE TABLE ${schema}."T" ("ID" integer PRIMARY KEY, "GXSJ" timestamp(6))`);
        expect(await leads(engine(), `${schema}.T`)).toEqual({ ID: true, GXSJ: false });
        await engine().exec(`CREATE INDEX ON ${schema}."T" ("GXSJ", "ID")`);
        expect(await leads(engine(), `${schema}.T`)).toEqual({ ID: true, GXSJ: true });
        await engine().exec(`DROP SCHEMA ${schema} CASCADE`);
      });
    },
  );
});

// ── MariaDB ─────────────────────────────────────────────────────────────────────────────────────

let maria: FreshMariadb;
const mariadb: Engine = {
  exec: async (sql) => void (await maria.conn.query(sql)),
  config: () => ({
    kind: 'mysql',
    connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: maria.database },
    trim: 'all',
    pageSize: 500,
  }),
  q: (n) => `\`${n}\``,
  cursorType: 'DATETIME(6)',
  dialect: mysqlDialect,
};

describe('on a fresh MariaDB database', () => {
  beforeAll(async () => {
    maria = await createMariadbDatabase();
  });
  afterAll(async () => {
    await maria?.drop();
  });

  describeEngine(
    'mysql (MariaDB)',
    () => mariadb,
    (engine) => {
      it('counts no prefix or HASH index, and cannot tell for a view', async () => {
        const t = tableName('MY');
        await engine().exec(
          `CREATE TABLE \`${t}\` (ID INT PRIMARY KEY, GXSJ VARCHAR(30), XGSJ DATETIME(6), INDEX (GXSJ(10), ID)) ENGINE=InnoDB`,
        );
        const m = tableName('MEM');
        await engine().exec(
          `CREATE TABLE \`${m}\` (ID INT, GXSJ DATETIME(6), PRIMARY KEY USING HASH (ID), INDEX USING HASH (GXSJ)) ENGINE=MEMORY`,
        );
        await engine().exec(`CREATE VIEW \`V_${t}\` AS SELECT * FROM \`${t}\``);
        expect(await leads(engine(), t)).toEqual({ ID: true, GXSJ: false, XGSJ: false });
        expect(await leads(engine(), m)).toEqual({ ID: false, GXSJ: false });
        expect(await leads(engine(), `V_${t}`)).toEqual({ ID: null, GXSJ: null, XGSJ: null });
      });
    },
  );
});
