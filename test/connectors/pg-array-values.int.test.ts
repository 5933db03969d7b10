/**
 * PostgreSQL array columns of dates, timestamps and numerics. node-postgres parses `date[]` and
 * `timestamp[]` elements in the host's zone, as it does a lone DATE, which the dialect reads as the
 * wall clock instead: on a host at +08:00 the list `{2024-03-01}` went to the mappings as
 * `["2024-02-29T16:00:00.000Z"]`, the day before, and the same row read otherwise on hosts in
 * other zones. It parses `numeric[]` elements with parseFloat: `{12345678901234567890.12}` went out
 * as `[12345678901234567000]`. Elements are now read as the lone values are: dates and timestamps
 * with their stored fields as UTC fields on any host, numbers with every digit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceValue } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL arrays of dates, timestamps and numerics', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  const hostZone = process.env.TZ;
  beforeAll(async () => {
    // The licbridge host in Beijing time: Node reads TZ again when it is set.
    process.env.TZ = 'Asia/Shanghai';
    fresh = await createPgDatabase();
    await fresh.client.query(
      'CREATE TABLE t_arr (id int PRIMARY KEY, rq date[], sj timestamp(6)[], je numeric(30,2)[])',
    );
    await fresh.client.query(
      `INSERT INTO t_arr VALUES
         (1, '{2024-03-01,NULL,0001-01-01}', '{"2024-03-01 07:30:00.123456"}', '{12345678901234567890.12,1.50,NULL}'),
         (2, '{}', '{}', '{3,0.25}'),
         (3, NULL, NULL, NULL)`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  });

  async function rows(): Promise<Record<string, SourceValue>[]> {
    const pages = await readAll(source, { table: 't_arr', key: 'id' }, 10);
    return pages.flatMap((p) => p.rows.map((r) => r.values));
  }

  it('reads dates and timestamps as their stored fields, whatever the host zone', async () => {
    const [one, two, three] = await rows();
    expect(one?.rq).toBe('["2024-03-01T00:00:00.000Z",null,"0001-01-01T00:00:00.000Z"]');
    expect(one?.sj).toBe('["2024-03-01T07:30:00.123Z"]');
    expect(two?.rq).toBe('[]');
    expect(three?.rq).toBeNull();
  });

  it('keeps every digit of numerics a number cannot hold, and the others as before', async () => {
    const [one, two] = await rows();
    expect(one?.je).toBe('["12345678901234567890.12",1.5,null]');
    expect(two?.je).toBe('[3,0.25]');
  });
});
