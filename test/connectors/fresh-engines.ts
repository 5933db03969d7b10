/**
 * The engine half of a test that runs one scenario on real SQLite, PostgreSQL and MariaDB: a fresh
 * database made before the calling file's tests and dropped after them, a way to run SQL on it, a
 * source's settings on it (trim all, pages of 500), the engine's dialect and its identifier
 * quoting. Each opener registers its hooks where it is called and returns a reader for inside
 * tests and hooks; the test adds what it needs of each engine (collations, column types).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { sqliteDialect } from '../../connectors/sql/dialects/sqlite/dialect.js';
import { mariadbConfig } from './legacy-sources.js';
import { createMariadbDatabase, createPgDatabase, type FreshMariadb, type FreshPg, PG } from './servers.js';

export interface FreshEngine {
  exec(sql: string): Promise<void>;
  config(): SourceConfig;
  dialect: SqlDialect;
  q(name: string): string;
}

/** A SQLite file `legacy.db` in a folder named `${prefix}<random>`, opened for each statement. */
export function freshSqlite(prefix: string): () => FreshEngine {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
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
    };
  };
}

/** A fresh PostgreSQL database. */
export function freshPostgres(): () => FreshEngine {
  let fresh: FreshPg | undefined;
  beforeAll(async () => {
    fresh = await createPgDatabase();
  });
  afterAll(async () => fresh?.drop());
  return () => ({
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
  });
}

/** A fresh MariaDB database. */
export function freshMariadb(): () => FreshEngine {
  let maria: FreshMariadb | undefined;
  beforeAll(async () => {
    maria = await createMariadbDatabase();
  });
  afterAll(async () => maria?.drop());
  return () => ({
    async exec(sql) {
      await maria?.conn.query(sql);
    },
    config: () => mariadbConfig(maria?.database ?? ''),
    dialect: mysqlDialect,
    q: (n) => `\`${n}\``,
  });
}
