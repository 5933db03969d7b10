/**
 * A legacy database made for one test file and the source reading it, for the calling file's (or
 * `describe` block's) tests: a fresh MariaDB database or SQLite file that `setup` fills, read by a
 * source named `legacy` (trim all, pages of 500, no log lines), opened before the tests and closed,
 * with the database dropped, after them. Read `source` and the database inside tests and hooks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { createMariadbDatabase, type FreshMariadb, MARIADB } from './servers.js';

const quiet = createLogger({ level: 'silent' });

/** A mysql source's settings on `database` of the test MariaDB server; `overrides` replace any. */
export function mariadbConfig(database: string, overrides: Partial<SourceConfig> = {}): SourceConfig {
  return {
    kind: 'mysql',
    connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database },
    trim: 'all',
    pageSize: 500,
    ...overrides,
  };
}

/** Throws where a fixture is read before its `beforeAll` has run. */
function opened<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what}: read inside a test or hook, once beforeAll has run`);
  return value;
}

export interface MariadbSource {
  readonly fresh: FreshMariadb;
  readonly source: SourceConnector;
}

/** A fresh MariaDB database that `setup` fills on its connection, and a mysql source on it. */
export function mariadbSource(
  setup: (conn: Connection) => Promise<void>,
  overrides: Partial<SourceConfig> = {},
): MariadbSource {
  let fresh: FreshMariadb | undefined;
  let source: SourceConnector | undefined;
  beforeAll(async () => {
    fresh = await createMariadbDatabase();
    await setup(fresh.conn);
    source = await openSource('legacy', mariadbConfig(fresh.database, overrides), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });
  return {
    get fresh() {
      return opened(fresh, 'mariadbSource');
    },
    get source() {
      return opened(source, 'mariadbSource');
    },
  };
}

export interface SqliteSource {
  /** The handle `setup` was given, open until the source is closed. */
  readonly db: Database.Database;
  readonly source: SourceConnector;
}

/** A fresh SQLite file (in a folder named `${prefix}<random>`) that `setup` fills, and a sqlite source on it. */
export function sqliteSource(prefix: string, setup: (db: Database.Database) => void): SqliteSource {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'legacy.db');
  let db: Database.Database | undefined;
  let source: SourceConnector | undefined;
  beforeAll(async () => {
    db = new Database(file);
    setup(db);
    source = await openSource(
      'legacy',
      { kind: 'sqlite', path: file, trim: 'all', pageSize: 500 },
      { logger: quiet },
    );
  });
  afterAll(async () => {
    await source?.close();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get db() {
      return opened(db, 'sqliteSource');
    },
    get source() {
      return opened(source, 'sqliteSource');
    },
  };
}
