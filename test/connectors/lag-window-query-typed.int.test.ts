/**
 * The lag-window warning of a query stream says what its dialect can tell of the cursor's type
 * (dialect.ts `queryColumnTypes`): on PostgreSQL and MySQL/MariaDB the database gives the query's
 * column its type, so a date/time cursor is named with its type, as a table stream's is, and a
 * counter cursor is not warned about (lagMs is refused on one, resolve-stream.ts
 * `lagCursorProblem`). The warning said the type "cannot be checked" and told an integer cursor's
 * stream to set lagMs, which then refused the stream. A dialect that cannot tell (no
 * `queryColumnTypes`) still says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { openSqlSource } from '../../connectors/sql/index.js';
import { createLogger } from '../../core/logger.js';
import {
  createMariadbDatabase,
  createPgDatabase,
  type FreshMariadb,
  type FreshPg,
  MARIADB,
  pgSourceConfig,
} from './servers.js';

const quiet = createLogger({ level: 'silent' });
const timed: StreamSpec = {
  table: 'licences',
  key: 'id',
  cursor: 'gxsj',
  query: 'SELECT id, gxsj FROM t_xkz',
};
const counted: StreamSpec = {
  table: 'licences',
  key: 'id',
  cursor: 'bbh',
  query: 'SELECT id, bbh FROM t_xkz',
};

let pgDb: FreshPg;
let maria: FreshMariadb;
beforeAll(async () => {
  [pgDb, maria] = await Promise.all([createPgDatabase(), createMariadbDatabase()]);
  await pgDb.client.query('CREATE TABLE t_xkz (id int PRIMARY KEY, gxsj timestamp(6), bbh bigint)');
  await maria.conn.query('CREATE TABLE t_xkz (id int PRIMARY KEY, gxsj DATETIME(6), bbh BIGINT)');
});
afterAll(async () => {
  await Promise.all([pgDb?.drop(), maria?.drop()]);
});

const pgConfig = (): SourceConfig => pgSourceConfig(pgDb.database);
const mariaConfig = (): SourceConfig => ({
  kind: 'mysql',
  connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: maria.database },
  trim: 'all',
  pageSize: 500,
});

async function warningOf(open: () => Promise<SourceConnector>, stream: StreamSpec): Promise<string | null> {
  const connector = await open();
  try {
    return (await connector.lagWindowWarning?.(stream))?.message ?? null;
  } finally {
    await connector.close();
  }
}

const engines: [string, () => SourceConfig, string][] = [
  ['PostgreSQL', pgConfig, 'timestamp(6) without time zone'],
  ['MariaDB', mariaConfig, 'datetime(6)'],
];

describe('the lag-window warning of a query stream on a dialect that types its columns', () => {
  for (const [engine, config, type] of engines) {
    it(`${engine}: names a date/time cursor with its type`, async () => {
      const message = await warningOf(() => openSource('legacy', config(), { logger: quiet }), timed);
      expect(message).toMatch(
        new RegExp(
          `^source legacy: query stream \`licences\` is read by its date/time cursor \`gxsj\` \\(${type.replace(/[()]/g, '\\$&')}\\) with lagMs 0: a row that commits while a page is read`,
        ),
      );
      expect(message).not.toContain('cannot be checked');
    });

    it(`${engine}: says nothing of a counter cursor, on which lagMs is refused`, async () => {
      const message = await warningOf(() => openSource('legacy', config(), { logger: quiet }), counted);
      expect(message).toBeNull();
    });
  }
});

describe('the lag-window warning of a query stream on a dialect that cannot type its columns', () => {
  it('says the type cannot be checked', async () => {
    const { queryColumnTypes: _, ...untyped } = postgresDialect;
    const message = await warningOf(
      () => openSqlSource('legacy', pgConfig(), untyped, { logger: quiet }),
      counted,
    );
    expect(message).toMatch(
      /^source legacy: query stream `licences` is read by cursor `bbh` with lagMs 0; the type of a query's cursor cannot be checked on this database: if it holds a date\/time, /,
    );
  });
});
