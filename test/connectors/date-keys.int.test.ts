/**
 * Streams keyed by a date/time column: legacy tables keyed by a registration time, or by (date,
 * serial). node-postgres and mysql2 hand such a key over as a Date, which has no checkpoint text
 * that reads back as the stored value (milliseconds, no zone): the whole read failed on its first
 * page with a bare TypeError. It is refused before a row is read — by `config check --connect`
 * (checkStream) and by the read itself — naming the source, stream, column and type, and saying
 * what to do; a query stream selecting the key as text is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { ErrorCodes } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { mariadbSource } from './legacy-sources.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

async function keysRead(source: SourceConnector, stream: StreamSpec): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of source.read({ stream, after: null, pageSize: 2 }))
    keys.push(...page.rows.map((r) => r.key));
  return keys;
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

describe('postgres date/time keys', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(
      'CREATE TABLE t_d (djrq date, djsj timestamp(6), djsk timestamptz, xh int, mc text, PRIMARY KEY (djrq, xh))',
    );
    await fresh.client.query(`INSERT INTO t_d VALUES
      ('2024-03-01', '2024-03-01 10:00:00.000001', '2024-03-01 10:00:00.000001+08', 1, 'a'),
      ('2024-03-01', '2024-03-01 10:00:00.000002', '2024-03-01 10:00:00.000002+08', 2, 'b'),
      ('2024-03-02', '2024-03-02 08:00:00', '2024-03-02 08:00:00+08', 1, 'c')`);
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  for (const [column, type] of [
    ['djrq', 'date'],
    ['djsj', 'timestamp(6) without time zone'],
    ['djsk', 'timestamp with time zone'],
  ] as const) {
    for (const check of [true, false]) {
      it(`refuses a ${type} key ${check ? 'in config check' : 'on read'}`, async () => {
        expectRefused(await refusal(source, { table: 't_d', key: column }, check), column, `\`${type}\``);
      });
    }
  }

  it('discovery offers no date/time column as a key, and says why', async () => {
    await fresh.client.query('CREATE TABLE t_r (djsj timestamp PRIMARY KEY, bh int UNIQUE, mc text)');
    const [table] = (await source.discover?.({ table: 't_r' })) ?? [];
    expect(table?.candidateKeys).toEqual(['bh']);
    expect(table?.notes?.join('\n')).toMatch(
      /unique column `djsj` is `timestamp without time zone`, a date\/time, which is not read as a key/,
    );
  });

  it('refuses a query stream whose key the driver returns as a date, on its first page', async () => {
    const stream = { table: 'q_d', query: 'SELECT djsj, mc FROM t_d', key: 'djsj' };
    expectRefused(await refusal(source, stream, false), 'djsj', 'CAST(djsj AS text)');
  });

  it('reads a query stream selecting the key as text, every row once, at full precision', async () => {
    const stream = { table: 'q_d', query: 'SELECT CAST(djsj AS text) AS djsj, mc FROM t_d', key: 'djsj' };
    expect(await keysRead(source, stream)).toEqual([
      '2024-03-01 10:00:00.000001',
      '2024-03-01 10:00:00.000002',
      '2024-03-02 08:00:00',
    ]);
  });

  it('reads a query stream keyed by (date, serial) as one text, every row once', async () => {
    const stream = {
      table: 'q_d',
      query: "SELECT to_char(djrq, 'YYYY-MM-DD') || '/' || CAST(xh AS text) AS k, mc FROM t_d",
      key: 'k',
    };
    expect(await keysRead(source, stream)).toEqual(['2024-03-01/1', '2024-03-01/2', '2024-03-02/1']);
  });
});

describe('mysql date/time keys', () => {
  const legacy = mariadbSource(async (c) => {
    await c.query(
      'CREATE TABLE T_D (DJRQ DATE, DJSJ DATETIME(6), DJSK TIMESTAMP(3) NULL, XH INT, MC VARCHAR(10), PRIMARY KEY (DJRQ, XH))',
    );
    await c.query(`INSERT INTO T_D VALUES
      ('2024-03-01', '2024-03-01 10:00:00.000001', '2024-03-01 10:00:00.001', 1, 'a'),
      ('2024-03-01', '2024-03-01 10:00:00.000002', '2024-03-01 10:00:00.002', 2, 'b'),
      ('2024-03-02', '2024-03-02 08:00:00', '2024-03-02 08:00:00', 1, 'c')`);
  });

  for (const [column, type] of [
    ['DJRQ', 'date'],
    ['DJSJ', 'datetime(6)'],
    ['DJSK', 'timestamp(3)'],
  ] as const) {
    for (const check of [true, false]) {
      it(`refuses a ${type} key ${check ? 'in config check' : 'on read'}`, async () => {
        expectRefused(
          await refusal(legacy.source, { table: 'T_D', key: column }, check),
          column,
          `\`${type}\``,
        );
      });
    }
  }

  it('discovery offers no date/time column as a key, and says why', async () => {
    await legacy.fresh.conn.query('CREATE TABLE T_R (DJSJ DATETIME(6) PRIMARY KEY, BH INT UNIQUE, MC TEXT)');
    const [table] = (await legacy.source.discover?.({ table: 'T_R' })) ?? [];
    expect(table?.candidateKeys).toEqual(['BH']);
    expect(table?.notes?.join('\n')).toMatch(/unique column `DJSJ` is `datetime\(6\)`, a date\/time/);
  });

  it('refuses a query stream whose key the driver returns as a date, on its first page', async () => {
    const stream = { table: 'Q_D', query: 'SELECT DJSJ, MC FROM T_D', key: 'DJSJ' };
    expectRefused(await refusal(legacy.source, stream, false), 'DJSJ', 'CAST(DJSJ AS CHAR)');
  });

  it('reads a query stream selecting the key as text, every row once, at full precision', async () => {
    const stream = { table: 'Q_D', query: 'SELECT CAST(DJSJ AS CHAR) AS DJSJ, MC FROM T_D', key: 'DJSJ' };
    expect(await keysRead(legacy.source, stream)).toEqual([
      '2024-03-01 10:00:00.000001',
      '2024-03-01 10:00:00.000002',
      '2024-03-02 08:00:00.000000',
    ]);
  });
});
