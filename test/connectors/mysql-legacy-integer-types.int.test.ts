/**
 * MySQL integer types legacy schemas use for flags and serials. A `TINYINT(1)` or `BOOLEAN` column
 * is a TINYINT, and old applications keep states in it (0 cancelled, 1 valid, 2 suspended): a
 * driver that reads it as a boolean hands 2 and -1 over as `true`, three states as one. A
 * `BIGINT UNSIGNED` serial past 2^53 as a number is another serial. Each is handed over as stored:
 * TINYINT as its number, BIGINT as every digit (a number where a double holds it), YEAR as its
 * number, in table and query streams alike; a `utf8mb3` column's text whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { createMariadbDatabase, type FreshMariadb, MARIADB } from './servers.js';

const quiet = createLogger({ level: 'silent' });

let fresh: FreshMariadb;
let source: SourceConnector;
beforeAll(async () => {
  fresh = await createMariadbDatabase();
  await fresh.conn.query(
    `CREATE TABLE t_zt (ID BIGINT UNSIGNED PRIMARY KEY, ZT TINYINT(1), YX BOOLEAN, ND YEAR,
      MC VARCHAR(20) CHARACTER SET utf8mb3)`,
  );
  await fresh.conn.query(
    `INSERT INTO t_zt VALUES (1, 0, 1, 2024, '食品经营'), (9007199254740993, 2, -1, 1999, '许可证'),
      (18446744073709551615, -128, 127, NULL, NULL)`,
  );
  const config: SourceConfig = {
    kind: 'mysql',
    connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: fresh.database },
    trim: 'all',
    pageSize: 500,
  };
  source = await openSource('market-food', config, { logger: quiet });
});
afterAll(async () => {
  await source?.close();
  await fresh?.drop();
});

const expected = [
  { ID: 1, ZT: 0, YX: 1, ND: 2024, MC: '食品经营' },
  { ID: '9007199254740993', ZT: 2, YX: -1, ND: 1999, MC: '许可证' },
  { ID: '18446744073709551615', ZT: -128, YX: 127, ND: null, MC: null },
];

describe('mysql legacy integer types', () => {
  it('a table stream hands each over as stored, one row a page', async () => {
    const pages = await readAll(source, { table: 't_zt', key: 'ID' }, 1);
    expect(pages.flatMap((p) => p.rows.map((r) => r.values))).toEqual(expected);
    expect(pages.flatMap((p) => p.rows.map((r) => r.key))).toEqual([
      '1',
      '9007199254740993',
      '18446744073709551615',
    ]);
  });

  it('a query stream hands over the same values', async () => {
    const pages = await readAll(source, { table: 'q_zt', key: 'ID', query: 'SELECT * FROM t_zt' }, 1);
    expect(pages.flatMap((p) => p.rows.map((r) => r.values))).toEqual(expected);
  });
});
