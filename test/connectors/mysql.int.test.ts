import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import { isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { type ConformanceFixture, readAll, runConformance } from './conformance.js';
import { createMariadbDatabase, type FreshMariadb, MARIADB } from './servers.js';

const quiet = createLogger({ level: 'silent' });

let fresh: FreshMariadb;
beforeAll(async () => {
  fresh = await createMariadbDatabase();
});
afterAll(async () => {
  await fresh.drop();
});

const myConfig = (overrides: Partial<SourceConfig> = {}): SourceConfig => ({
  kind: 'mysql',
  connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: fresh.database },
  trim: 'all',
  pageSize: 500,
  ...overrides,
});

runConformance(
  'mysql (MariaDB)',
  async (): Promise<ConformanceFixture> => {
    const table = `T_CONF_${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`;
    await fresh.conn.query(
      `CREATE TABLE \`${table}\` (ID INT PRIMARY KEY, GXSJ DATETIME(6) NULL, MC CHAR(10))`,
    );
    // The conformance tables have no index on their cursor; the warning that says so is not under test here.
    const connector = await openSource('conformance', myConfig(), { logger: quiet });
    return {
      connector,
      stream: { table, key: 'ID', cursor: 'GXSJ' },
      nameColumn: 'MC',
      async insert(rows) {
        for (const r of rows) {
          await fresh.conn.query(`INSERT INTO \`${table}\` VALUES (?, ?, ?)`, [r.id, r.cursor, r.name]);
        }
      },
      async update(id, change) {
        await fresh.conn.query(`UPDATE \`${table}\` SET GXSJ = ?, MC = coalesce(?, MC) WHERE ID = ?`, [
          change.cursor,
          change.name ?? null,
          id,
        ]);
      },
      async dispose() {
        await connector.close();
        await fresh.conn.query(`DROP TABLE \`${table}\``);
      },
      dropConnections: () => fresh.killOthers(),
      async badCredentials() {
        const user = 'lb_no_such_login';
        const password = 'S3cret-not-to-print';
        const bad = await openSource(
          'bad-login',
          myConfig({
            connection: { host: MARIADB.host, port: MARIADB.port, user, password, database: fresh.database },
          }),
        );
        return { connector: bad, user, password };
      },
    };
  },
  { network: true },
);

describe('mysql (MariaDB) source specifics', () => {
  it('opens READ ONLY sessions', async () => {
    await fresh.conn.query('CREATE TABLE t_ro (id INT PRIMARY KEY)');
    const connector = await openSource('ro', myConfig());
    // A function with a side effect cannot run in a READ ONLY session; GET_LOCK is harmless and
    // allowed, so use the documented observable: the session's transaction_read_only flag.
    const stream = { table: 'ro', key: 'id', query: 'SELECT 1 AS id, @@session.tx_read_only AS ro' };
    const [page] = await readAll(connector, stream, 10);
    await connector.close();
    expect(page?.rows[0]?.values.ro).toBe(1);
  });

  it('values: zero dates, DATETIME(6) wall clock, BIGINT and DECIMAL exact, latin1 GBK repaired', async () => {
    await fresh.conn.query("SET SESSION sql_mode = ''");
    await fresh.conn.query(`CREATE TABLE t_vals (id BIGINT PRIMARY KEY, d DATE, ts DATETIME(6),
      amount DECIMAL(20,2), serial DECIMAL(20,0), jyzmc VARCHAR(50) CHARACTER SET latin1)`);
    // 中国 in GBK (D6 D0 B9 FA) written byte for byte into a latin1 column, as old PHP apps did.
    await fresh.conn.query(
      `INSERT INTO t_vals VALUES (9007199254740993, '0000-00-00', '2024-03-01 08:00:05.123456', 12.50,
        123456789012345678, _binary 0xD6D0B9FA), (2, '2024-03-01', NULL, 1, 1, _binary 0x8140)`,
    );
    const connector = await openSource(
      'vals',
      myConfig({ zeroDates: 'all', charset: { repair: ['JYZMC'], from: 'gb18030' } }),
    );
    const pages = await readAll(connector, { table: 't_vals', key: 'id' }, 10);
    await connector.close();
    const [second, first] = pages[0]?.rows ?? [];
    expect(first?.key).toBe('9007199254740993');
    expect(first?.values.d).toBeNull();
    expect((first?.values.ts as Date | undefined)?.toISOString()).toBe('2024-03-01T08:00:05.123Z');
    expect(first?.values.amount).toBe('12.50');
    expect(first?.values.serial).toBe('123456789012345678');
    expect(first?.values.jyzmc).toBe('中国');
    // 0x81 0x40 is 丂 in GBK; MySQL's latin1 (really cp1252) hands 0x81 back as U+0081.
    expect(second?.values.jyzmc).toBe('丂');
    expect((second?.values.d as Date | undefined)?.toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });

  it('discovers tables with key and cursor candidates', async () => {
    await fresh.conn.query(
      'CREATE TABLE T_SPXK_XKZ (ID INT PRIMARY KEY, XKZBH CHAR(20) UNIQUE, FZRQ CHAR(8), GXSJ DATETIME(6))',
    );
    const connector = await openSource('discover', myConfig());
    const [info] = await connector.discover({ table: 'T_SPXK_XKZ' });
    await connector.close();
    expect(info?.candidateKeys).toEqual(['ID', 'XKZBH']);
    expect(info?.candidateCursors[0]).toBe('GXSJ');
  });

  it('reports a wrong database as non-retryable, naming the source', async () => {
    const connector = await openSource(
      'market-food',
      myConfig({
        connection: { host: MARIADB.host, port: MARIADB.port, user: 'root', database: 'lb_absent_db' },
      }),
    );
    const error = await connector.checkConnection().catch((e: unknown) => e);
    await connector.close();
    expect(isLicbridgeError(error) && error.retryable).toBe(false);
    expect((error as Error).message).toContain('source market-food');
  });
});
