/**
 * A key column that holds one value on more rows than a page may (a status or type code named as
 * the key): the rows level with a full page's last one are read with it (tied-rows.ts), and were
 * read all at once, whatever their number, into memory. The read now fails past 100,000 such rows,
 * naming the source, stream and column, as it fails past 100,000 rows without a key. PostgreSQL
 * and MariaDB, for real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { StreamSpec } from '../../connectors/source.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
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

const quiet = createLogger({ level: 'silent' });
const LIMIT = 100_000;

let pgDb: FreshPg;
let maria: FreshMariadb;
beforeAll(async () => {
  [pgDb, maria] = await Promise.all([createPgDatabase(), createMariadbDatabase()]);
  // ZT '01' on one row more than the limit (t_zt), on exactly the limit (t_zt_full); GXSJ one value.
  await pgDb.client.query(
    `CREATE TABLE t_zt (zt varchar(2) NOT NULL, gxsj timestamp NOT NULL, mc text);
     CREATE INDEX ON t_zt (zt);
     INSERT INTO t_zt SELECT '01', '2024-03-01 08:00', 'm' || g FROM generate_series(1, ${LIMIT + 1}) g;
     CREATE TABLE t_zt_full (zt varchar(2) NOT NULL, mc text);
     CREATE INDEX ON t_zt_full (zt);
     INSERT INTO t_zt_full SELECT '01', 'm' || g FROM generate_series(1, ${LIMIT}) g;`,
  );
  await maria.conn.query(
    'CREATE TABLE T_ZT (ZT VARCHAR(2) NOT NULL, GXSJ DATETIME NOT NULL, MC VARCHAR(12), KEY (ZT))',
  );
  await maria.conn.query(
    `INSERT INTO T_ZT SELECT '01', '2024-03-01 08:00', CONCAT('m', seq) FROM seq_1_to_${LIMIT + 1}`,
  );
}, 120_000);
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

async function failureOf(config: SourceConfig, stream: StreamSpec): Promise<unknown> {
  const connector = await openSource('legacy', config, { logger: quiet });
  try {
    await readAll(connector, stream, 10);
    return undefined;
  } catch (e) {
    return e;
  } finally {
    await connector.close();
  }
}

describe('rows level with a page end, more than a page may hold', () => {
  for (const [engine, config, stream] of [
    ['PostgreSQL', pgConfig, { table: 't_zt', key: 'zt' }],
    ['PostgreSQL', pgConfig, { table: 't_zt', key: 'zt', cursor: 'gxsj' }],
    ['MariaDB', mariaConfig, { table: 'T_ZT', key: 'ZT' }],
  ] as const) {
    it(`${engine}, ${'cursor' in stream ? 'a cursor stream' : 'a key-only stream'}: the read fails naming the key column`, async () => {
      const error = await failureOf(config(), stream);
      expect(isLicbridgeError(error)).toBe(true);
      if (!isLicbridgeError(error)) return;
      expect(error.code).toBe(ErrorCodes.SOURCE_SCHEMA);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`source legacy: more than ${LIMIT} rows of stream \`${stream.table}\``);
      expect(error.message).toContain(`key column \`${stream.key}\``);
    }, 120_000);
  }

  it('PostgreSQL, exactly as many as a page may hold: read whole, each quarantined as a duplicate', async () => {
    const connector = await openSource('legacy', pgConfig(), { logger: quiet });
    try {
      const rows = (await readAll(connector, { table: 't_zt_full', key: 'zt' }, 10)).flatMap((p) => p.rows);
      expect(rows).toHaveLength(LIMIT);
      expect(rows.every((r) => r.problems?.some((p) => p.code === 'LB_SOURCE_KEY_DUPLICATE'))).toBe(true);
    } finally {
      await connector.close();
    }
  }, 120_000);
});
