import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { decodeKeyPosition } from '../../connectors/key-position.js';
import { openSource } from '../../connectors/open-source.js';
import { isLicbridgeError } from '../../core/errors.js';
import { readAll, runConformance } from './conformance.js';
import { pgFamilyConfig, pgFamilyConformance } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

let fresh: FreshPg;
beforeAll(async () => {
  fresh = await createPgDatabase();
});
afterAll(async () => {
  await fresh.drop();
});

const pgConfig = (overrides: Partial<SourceConfig> = {}): SourceConfig =>
  pgFamilyConfig('postgres', fresh.database, overrides);

runConformance(
  'postgres',
  pgFamilyConformance('postgres', () => fresh),
  { network: true },
);

describe('postgres source specifics', () => {
  it('reports an unreachable server as retryable, naming the source', async () => {
    const connector = await openSource(
      'market-food',
      pgConfig({
        connection: { host: '127.0.0.1', port: 1, user: 'x', database: 'x' },
        connectTimeoutMs: 1000,
      }),
    );
    const error = await connector.checkConnection().catch((e: unknown) => e);
    await connector.close();
    expect(isLicbridgeError(error) && error.code).toBe('LB_SOURCE_UNREACHABLE');
    expect(isLicbridgeError(error) && error.retryable).toBe(true);
    expect((error as Error).message).toContain('source market-food');
  });

  it('opens read-only sessions: a query stream cannot write even through a function', async () => {
    await fresh.client.query('CREATE TABLE t_ro (id int PRIMARY KEY, n int)');
    await fresh.client.query('INSERT INTO t_ro VALUES (1, 1)');
    await fresh.client.query('CREATE SEQUENCE s_ro');
    const connector = await openSource('ro', pgConfig());
    const stream = { table: 'ro', key: 'id', query: "SELECT id, nextval('s_ro') AS n FROM t_ro" };
    const error = await readAll(connector, stream, 10).catch((e: unknown) => e);
    await connector.close();
    expect(isLicbridgeError(error)).toBe(true);
    expect((error as Error).message).toMatch(/read-only/);
  });

  it('values: wide NUMERIC and BIGINT exact, DATE and TIMESTAMP as wall-clock dates, bytea', async () => {
    await fresh.client.query(`CREATE TABLE t_vals (id bigint PRIMARY KEY, big bigint, amount numeric(20,2),
      serial numeric(20), d date, ts timestamp(6), img bytea)`);
    await fresh.client.query(
      `INSERT INTO t_vals VALUES (9007199254740993, 12, 12.50, 123456789012345678, '2024-03-01',
        '2024-03-01 08:00:05.123456', '\\x010203')`,
    );
    const connector = await openSource('vals', pgConfig());
    const [page] = await readAll(connector, { table: 't_vals', key: 'id' }, 10);
    await connector.close();
    const row = page?.rows[0];
    expect(row?.key).toBe('9007199254740993');
    expect(decodeKeyPosition(page?.checkpoint ?? '', 'test').key).toBe('9007199254740993');
    expect(row?.values.big).toBe(12);
    expect(row?.values.amount).toBe('12.50');
    expect(row?.values.serial).toBe('123456789012345678');
    expect((row?.values.d as Date | undefined)?.toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect((row?.values.ts as Date | undefined)?.toISOString()).toBe('2024-03-01T08:00:05.123Z');
    expect(Array.from(row?.values.img as Uint8Array)).toEqual([1, 2, 3]);
  });

  it('reads a query stream with bound parameters, paging on its key and cursor', async () => {
    await fresh.client.query('CREATE TABLE t_q (id int PRIMARY KEY, zt char(1), gxsj timestamp(6))');
    for (let i = 1; i <= 12; i++) {
      await fresh.client.query('INSERT INTO t_q VALUES ($1, $2, $3)', [
        i,
        i % 3 === 0 ? '0' : '1',
        `2024-03-01 08:00:0${i % 4}.00000${i % 7}`,
      ]);
    }
    const connector = await openSource('q', pgConfig());
    const stream = {
      table: 'valid-only',
      key: 'id',
      cursor: 'gxsj',
      query: 'SELECT id, zt, gxsj FROM t_q WHERE zt = ?;',
      params: ['1'],
    };
    const pages = await readAll(connector, stream, 3);
    const keys = pages.flatMap((p) => p.rows.map((r) => r.key));
    expect([...keys].sort((a, b) => Number(a) - Number(b))).toEqual([
      '1',
      '2',
      '4',
      '5',
      '7',
      '8',
      '10',
      '11',
    ]);
    expect(new Set(keys).size).toBe(8);
    const rest = await readAll(connector, stream, 3, pages[0]?.checkpoint ?? null);
    expect(rest.flatMap((p) => p.rows.map((r) => r.key))).toEqual(keys.slice(3));
    expect(await connector.count(stream)).toBe(8);
    const missing = await readAll(connector, { ...stream, key: 'idd' }, 3).catch((e: unknown) => e);
    expect(isLicbridgeError(missing) && missing.code).toBe('LB_SOURCE_SCHEMA');
    expect((missing as Error).message).toMatch(/`idd`.*did you mean `id`/);
    const rejected = await readAll(connector, { ...stream, query: 'DELETE FROM t_q' }, 3).catch(
      (e: unknown) => e,
    );
    expect((rejected as Error).message).toMatch(/query rejected/);
    expect((await fresh.client.query('SELECT count(*)::int AS n FROM t_q')).rows[0].n).toBe(12);
    await connector.close();
  });

  it('leaves rows inside the lag window for the next run', async () => {
    await fresh.client.query('CREATE TABLE t_lag (id int PRIMARY KEY, gxsj timestamp(6))');
    await fresh.client.query(
      "INSERT INTO t_lag VALUES (1, LOCALTIMESTAMP - interval '1 hour'), (2, LOCALTIMESTAMP)",
    );
    const connector = await openSource('lag', pgConfig({ lagMs: 60_000 }));
    const stream = { table: 't_lag', key: 'id', cursor: 'gxsj' };
    const lagged = await readAll(connector, stream, 10);
    expect(lagged.flatMap((p) => p.rows.map((r) => r.key))).toEqual(['1']);
    const now = await readAll(connector, { ...stream, lagMs: 0 }, 10, lagged[0]?.checkpoint ?? null);
    expect(now.flatMap((p) => p.rows.map((r) => r.key))).toEqual(['2']);
    await connector.close();
  });

  it('repairs GBK bytes stored as latin1 text and quarantines undecodable ones', async () => {
    await fresh.client.query('CREATE TABLE t_gbk (id int PRIMARY KEY, jyzmc text, yxqz char(8))');
    // 中国 in GBK is D6 D0 B9 FA; read back through a latin1 column it is four latin1 characters.
    await fresh.client.query(
      `INSERT INTO t_gbk VALUES (1, convert_from('\\xd6d0b9fa'::bytea, 'LATIN1'), '00000000'),
                                (2, convert_from('\\xd6ff'::bytea, 'LATIN1'), '20240301')`,
    );
    const connector = await openSource(
      'gbk',
      pgConfig({ charset: { repair: ['JYZMC'], from: 'gb18030' }, zeroDates: ['yxqz'] }),
    );
    const [page] = await readAll(connector, { table: 't_gbk', key: 'id' }, 10);
    await connector.close();
    expect(page?.rows[0]?.values.jyzmc).toBe('中国');
    expect(page?.rows[0]?.values.yxqz).toBeNull();
    expect(page?.rows[0]?.problems).toBeUndefined();
    expect(page?.rows[1]?.values.jyzmc).toBeNull();
    expect(page?.rows[1]?.problems).toEqual([
      expect.objectContaining({ column: 'jyzmc', code: 'LB_SOURCE_CHARSET' }),
    ]);
    expect(page?.rows[1]?.values.yxqz).toBe('20240301');
  });
});
