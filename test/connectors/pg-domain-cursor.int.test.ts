/**
 * A PostgreSQL column of a DOMAIN type is read by its domain's base type: the catalog names the
 * domain (`format_type` of the column gives `lb_clock`), and the rules that go by a cursor's type
 * took it for none they knew. A domain over `time` was not refused as a time-of-day cursor, and
 * read as one it ordered rows by the time alone; a domain over `timestamp` was refused a lagMs as
 * "no date/time". Both now go as a column of the base type does, a domain over a domain too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { keysOf, readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

let fresh: FreshPg;
let source: SourceConnector;
let lagged: SourceConnector;
beforeAll(async () => {
  fresh = await createPgDatabase();
  await fresh.client.query(
    `CREATE DOMAIN lb_clock AS time(3);
     CREATE DOMAIN lb_clock_nn AS lb_clock NOT NULL;
     CREATE DOMAIN lb_changed AS timestamp(6);
     CREATE TABLE t_sj (id int PRIMARY KEY, gxsj lb_clock NOT NULL);
     CREATE TABLE t_sj2 (id int PRIMARY KEY, gxsj lb_clock_nn);
     CREATE TABLE t_bg (id int PRIMARY KEY, gxsj lb_changed NOT NULL);
     INSERT INTO t_sj VALUES (1, '08:00'), (2, '23:59:59');
     INSERT INTO t_sj2 VALUES (1, '08:00');
     INSERT INTO t_bg VALUES (1, '2024-01-02 03:04:05'), (2, '2024-01-03 03:04:05')`,
  );
  source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  lagged = await openSource('legacy', pgFamilyConfig('postgres', fresh.database, { lagMs: 5000 }), {
    logger: quiet,
  });
});
afterAll(async () => {
  await source?.close();
  await lagged?.close();
  await fresh?.drop();
});

const refusal = (table: string) => ({
  code: 'LB_SOURCE_SCHEMA',
  message: expect.stringMatching(
    new RegExp(
      `^source legacy: cursor column \`gxsj\` of stream \`${table}\` is \`time\\(3\\) without time zone\`, a time of day without a date`,
    ),
  ),
});

describe('a PostgreSQL cursor of a domain type', () => {
  it('a domain over time is refused as a time-of-day cursor', async () => {
    const stream = { table: 't_sj', key: 'id', cursor: 'gxsj' };
    await expect(readAll(source, stream, 10)).rejects.toMatchObject(refusal('t_sj'));
  });

  it('a domain over a domain over time is refused too', async () => {
    const stream = { table: 't_sj2', key: 'id', cursor: 'gxsj' };
    await expect(readAll(source, stream, 10)).rejects.toMatchObject(refusal('t_sj2'));
  });

  it('a query stream selecting it is refused as well (the server describes it by its base type)', async () => {
    const stream = { table: 'q_sj', key: 'id', cursor: 'gxsj', query: 'SELECT id, gxsj FROM t_sj' };
    await expect(readAll(source, stream, 10)).rejects.toMatchObject({
      code: 'LB_SOURCE_SCHEMA',
      message: expect.stringContaining('is `time(3) without time zone`, a time of day without a date'),
    });
  });

  it('a domain over timestamp takes a lag window, as a timestamp does', async () => {
    const pages = await readAll(lagged, { table: 't_bg', key: 'id', cursor: 'gxsj' }, 10);
    expect(keysOf(pages)).toEqual(['1', '2']);
  });
});
