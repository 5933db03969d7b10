/**
 * Streams keyed by a date/time column: legacy tables keyed by a registration time, or by a date.
 * node-postgres and mysql2 hand such a key over as a Date (milliseconds, no zone), which has no
 * checkpoint text: the whole read failed on its first page with a bare TypeError. PostgreSQL date,
 * timestamp and timestamptz keys and MySQL DATE and DATETIME(n) keys are read by the database's
 * own text — every fractional digit, a timestamptz in UTC — which binds back as the same value
 * (one page per run, resuming from each checkpoint, reads every row once), sorts as the database
 * orders the keys, and buckets inside the database as the run keys the row. A MySQL TIMESTAMP key,
 * whose text follows the session's time zone, and a query stream's key the driver returns as a
 * Date are refused, naming the source, stream, column and type, and saying what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { ErrorCodes } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { keyBucket } from '../../core/reconcile-digest.js';
import { digestsFromPages, digestsInDb } from './bucket-folds.js';
import { keysOf, readAll } from './conformance.js';
import { keysReadInRuns } from './float-runs.js';
import { mariadbSource } from './legacy-sources.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });
const BUCKETS = 8;

async function keysRead(source: SourceConnector, stream: StreamSpec): Promise<string[]> {
  return keysOf(await readAll(source, stream, 2));
}

/** The refusal of `stream`, by checkStream when `check`, by the first read otherwise. */
async function refusal(source: SourceConnector, stream: StreamSpec, check: boolean): Promise<unknown> {
  try {
    if (check) await source.checkStream?.(stream);
    else await keysRead(source, stream);
  } catch (error) {
    return error;
  }
  throw new Error('not refused');
}

function expectRefused(error: unknown, column: string, type: string): void {
  expect(error).toMatchObject({ code: ErrorCodes.SOURCE_SCHEMA, retryable: false });
  const message = (error as Error).message;
  expect(message).toMatch(/^source legacy: key column /);
  expect(message).toContain(`\`${column}\``);
  expect(message).toContain(type);
  expect(message).toMatch(/query stream that selects the key as text/);
}

/**
 * Every key read once in runs of one and of two rows a page, as `expected` (in the database's key
 * order, which the texts sort in too); the in-database digests and drill-down agree with the
 * ledger's buckets of the keys read; the light check's key set is the same keys.
 */
async function expectReadExactly(source: SourceConnector, stream: StreamSpec, expected: readonly string[]) {
  for (const size of [1, 2])
    expect(await keysReadInRuns(source, stream, size), `pages of ${size}`).toEqual(expected);
  expect([...expected].sort()).toEqual(expected);
  const { digests } = await digestsFromPages(source, stream, BUCKETS, 3);
  expect(await digestsInDb(source, stream, BUCKETS)).toEqual(digests);
  const drilled: string[] = [];
  for await (const chunk of source.readBuckets?.(stream, {
    buckets: BUCKETS,
    wanted: [...digests.keys()],
    pageSize: 2,
  }) ?? [])
    chunk.rows.forEach((r, i) => {
      expect(chunk.buckets?.[i]).toBe(keyBucket(r.key, BUCKETS));
      drilled.push(r.key);
    });
  expect(drilled.sort()).toEqual(expected);
  const keySet: string[] = [];
  for await (const chunk of source.keys(stream, { chunkSize: 2 })) keySet.push(...chunk);
  expect(keySet).toEqual(expected);
}

describe('postgres date/time keys', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    // Keys a microsecond apart, a whole second, a year before 1000 and 'infinity'.
    await fresh.client.query(`CREATE TABLE t_s (djsj timestamp(6) PRIMARY KEY, mc text, gxsj timestamp(6))`);
    await fresh.client.query(`INSERT INTO t_s VALUES
      ('2024-03-01 10:00:00.000001', 'a', '2024-05-01'), ('2024-03-01 10:00:00.000002', 'b', '2024-05-01'),
      ('2024-03-01 10:00:00', 'c', '2024-05-01'), ('2024-03-01 10:00:00.5', 'd', '2024-04-01'),
      ('2024-03-01 10:00:00.25', 'e', '2024-05-01'), ('0999-12-31 23:59:59.999999', 'f', null),
      ('infinity', 'g', '2024-05-01')`);
    await fresh.client.query('CREATE TABLE t_z (djsk timestamptz(6) PRIMARY KEY, mc text)');
    await fresh.client.query(`SET TIME ZONE 'Asia/Shanghai'`);
    await fresh.client.query(`INSERT INTO t_z VALUES
      ('2024-03-01 07:00:00.000001+08', 'a'), ('2024-03-01 07:00:00.000002+08', 'b'),
      ('2024-02-29 23:30:00+00', 'c'), ('2024-03-01 08:00:00+08', 'd')`);
    await fresh.client.query('CREATE TABLE t_d (djrq date PRIMARY KEY, mc text)');
    await fresh.client.query(
      `INSERT INTO t_d VALUES ('2024-03-01', 'a'), ('2023-12-31', 'b'), ('0001-01-01', 'c')`,
    );
    // Not unique: two rows of one key, a microsecond after another key (one millisecond as a Date).
    await fresh.client.query('CREATE TABLE t_n (djsj timestamp(6), mc text)');
    await fresh.client.query(`INSERT INTO t_n VALUES ('2024-03-01 10:00:00.000001', 'a'),
      ('2024-03-01 10:00:00.000002', 'b'), ('2024-03-01 10:00:00.000002', 'c')`);
    // BC and -infinity: the keys' texts do not sort as the database orders them.
    await fresh.client.query('CREATE TABLE t_b (djsk timestamptz(6) PRIMARY KEY, djrq date UNIQUE)');
    await fresh.client.query(`INSERT INTO t_b VALUES ('0044-03-15 10:00:00.5+00 BC', '0044-03-15 BC'),
      ('0044-03-15 10:00:00+00', '0044-03-15'), ('-infinity', '-infinity')`);
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('reads a timestamp key at full precision, once each, resuming from each checkpoint', async () => {
    await expectReadExactly(source, { table: 't_s', key: 'djsj' }, [
      '0999-12-31 23:59:59.999999',
      '2024-03-01 10:00:00',
      '2024-03-01 10:00:00.000001',
      '2024-03-01 10:00:00.000002',
      '2024-03-01 10:00:00.25',
      '2024-03-01 10:00:00.5',
      'infinity',
    ]);
  });

  it('reads a timestamp key under a cursor, once each', async () => {
    const stream = { table: 't_s', key: 'djsj', cursor: 'gxsj' };
    for (const size of [1, 2])
      expect(await keysReadInRuns(source, stream, size)).toEqual([
        '0999-12-31 23:59:59.999999',
        '2024-03-01 10:00:00.5',
        '2024-03-01 10:00:00',
        '2024-03-01 10:00:00.000001',
        '2024-03-01 10:00:00.000002',
        '2024-03-01 10:00:00.25',
        'infinity',
      ]);
  });

  it('reads a timestamptz key as its UTC text, whatever the session zone', async () => {
    await expectReadExactly(source, { table: 't_z', key: 'djsk' }, [
      '2024-02-29 23:00:00.000001+00',
      '2024-02-29 23:00:00.000002+00',
      '2024-02-29 23:30:00+00',
      '2024-03-01 00:00:00+00',
    ]);
  });

  it('reads a date key', async () => {
    await expectReadExactly(source, { table: 't_d', key: 'djrq' }, [
      '0001-01-01',
      '2023-12-31',
      '2024-03-01',
    ]);
  });

  it('reads the same key texts where the database prints dates in another DateStyle', async () => {
    await fresh.client.query(`ALTER DATABASE "${fresh.database}" SET DateStyle = 'SQL, DMY'`);
    const other = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
    try {
      await expectReadExactly(other, { table: 't_d', key: 'djrq' }, [
        '0001-01-01',
        '2023-12-31',
        '2024-03-01',
      ]);
    } finally {
      await other.close();
      await fresh.client.query(`ALTER DATABASE "${fresh.database}" RESET DateStyle`);
    }
  });

  it('lists every key of a timestamp key that is not unique, where a chunk ends on a repeated key', async () => {
    // The chunk [.000001, .000002] ends on a key two rows hold: taking in its tie matched rows by
    // their key's Date, and the row a microsecond before it was taken for one of the tie.
    const keySet: string[] = [];
    for await (const chunk of source.keys({ table: 't_n', key: 'djsj' }, { chunkSize: 2 }))
      keySet.push(...chunk);
    expect(keySet).toEqual([
      '2024-03-01 10:00:00.000001',
      '2024-03-01 10:00:00.000002',
      '2024-03-01 10:00:00.000002',
    ]);
  });

  it('reads keys before the common era once each, resuming from each checkpoint', async () => {
    for (const size of [1, 2]) {
      expect(await keysReadInRuns(source, { table: 't_b', key: 'djsk' }, size)).toEqual([
        '-infinity',
        '0044-03-15 10:00:00.5 BC+00',
        '0044-03-15 10:00:00+00',
      ]);
      expect(await keysReadInRuns(source, { table: 't_b', key: 'djrq' }, size)).toEqual([
        '-infinity',
        '0044-03-15 BC',
        '0044-03-15',
      ]);
    }
  });

  it('hands the mapping the key column as a date, as before', async () => {
    for await (const page of source.read({
      stream: { table: 't_d', key: 'djrq' },
      after: null,
      pageSize: 1,
    })) {
      expect(page.rows[0]?.values.djrq).toEqual(new Date('0001-01-01T00:00:00Z'));
      expect(Object.keys(page.rows[0]?.values ?? {})).toEqual(['djrq', 'mc']);
      break;
    }
  });

  it('refuses a query stream whose key the driver returns as a date, on its first page', async () => {
    const stream = { table: 'q_s', query: 'SELECT djsj, mc FROM t_s', key: 'djsj' };
    expectRefused(await refusal(source, stream, false), 'djsj', 'CAST(djsj AS text)');
  });

  it('reads a query stream keyed by (date, serial) as one text, every row once', async () => {
    const stream = {
      table: 'q_d',
      query: "SELECT to_char(djrq, 'YYYY-MM-DD') || '/' || mc AS k, mc FROM t_d",
      key: 'k',
    };
    expect(await keysRead(source, stream)).toEqual(['0001-01-01/c', '2023-12-31/b', '2024-03-01/a']);
  });
});

describe('mysql date/time keys', () => {
  const legacy = mariadbSource(async (c) => {
    await c.query('CREATE TABLE T_S (DJSJ DATETIME(6) PRIMARY KEY, MC VARCHAR(10), GXSJ DATETIME NULL)');
    await c.query(`INSERT INTO T_S VALUES
      ('2024-03-01 10:00:00.000001', 'a', '2024-05-01'), ('2024-03-01 10:00:00.000002', 'b', '2024-05-01'),
      ('2024-03-01 10:00:00', 'c', '2024-05-01'), ('2024-03-01 10:00:00.5', 'd', '2024-04-01'),
      ('0999-12-31 23:59:59.999999', 'f', NULL)`);
    await c.query('CREATE TABLE T_0 (DJSJ DATETIME PRIMARY KEY, MC VARCHAR(10))');
    await c.query(`INSERT INTO T_0 VALUES ('2024-03-01 10:00:00', 'a'), ('2024-03-01 10:00:01', 'b')`);
    await c.query('CREATE TABLE T_D (DJRQ DATE PRIMARY KEY, MC VARCHAR(10))');
    await c.query(`INSERT INTO T_D VALUES ('2024-03-01', 'a'), ('2023-12-31', 'b'), ('0001-01-01', 'c')`);
    await c.query('CREATE TABLE T_T (DJSK TIMESTAMP(3) NOT NULL PRIMARY KEY, MC VARCHAR(10))');
  });

  it('reads a DATETIME(6) key at full precision, once each, resuming from each checkpoint', async () => {
    await expectReadExactly(legacy.source, { table: 'T_S', key: 'DJSJ' }, [
      '0999-12-31 23:59:59.999999',
      '2024-03-01 10:00:00.000000',
      '2024-03-01 10:00:00.000001',
      '2024-03-01 10:00:00.000002',
      '2024-03-01 10:00:00.500000',
    ]);
  });

  it('reads a DATETIME(6) key under a cursor, once each', async () => {
    const stream = { table: 'T_S', key: 'DJSJ', cursor: 'GXSJ' };
    for (const size of [1, 2])
      expect(await keysReadInRuns(legacy.source, stream, size)).toEqual([
        '0999-12-31 23:59:59.999999',
        '2024-03-01 10:00:00.500000',
        '2024-03-01 10:00:00.000000',
        '2024-03-01 10:00:00.000001',
        '2024-03-01 10:00:00.000002',
      ]);
  });

  it('reads DATETIME and DATE keys', async () => {
    await expectReadExactly(legacy.source, { table: 'T_0', key: 'DJSJ' }, [
      '2024-03-01 10:00:00',
      '2024-03-01 10:00:01',
    ]);
    await expectReadExactly(legacy.source, { table: 'T_D', key: 'DJRQ' }, [
      '0001-01-01',
      '2023-12-31',
      '2024-03-01',
    ]);
  });

  for (const check of [true, false]) {
    it(`refuses a TIMESTAMP key ${check ? 'in config check' : 'on read'}`, async () => {
      expectRefused(
        await refusal(legacy.source, { table: 'T_T', key: 'DJSK' }, check),
        'DJSK',
        '`timestamp(3)`',
      );
    });
  }

  it('discovery offers no TIMESTAMP column as a key, and says why', async () => {
    await legacy.fresh.conn.query(
      'CREATE TABLE T_R (DJSK TIMESTAMP(6) NOT NULL PRIMARY KEY, BH INT UNIQUE, MC TEXT)',
    );
    const [table] = (await legacy.source.discover?.({ table: 'T_R' })) ?? [];
    expect(table?.candidateKeys).toEqual(['BH']);
    expect(table?.notes?.join('\n')).toMatch(/unique column `DJSK` is `timestamp\(6\)`, a date\/time/);
  });

  it('refuses a query stream whose key the driver returns as a date, on its first page', async () => {
    const stream = { table: 'Q_S', query: 'SELECT DJSJ, MC FROM T_S', key: 'DJSJ' };
    expectRefused(await refusal(legacy.source, stream, false), 'DJSJ', 'CAST(DJSJ AS CHAR)');
  });
});
