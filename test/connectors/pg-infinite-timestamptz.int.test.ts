/**
 * PostgreSQL `timestamptz` values of `infinity` and `-infinity`, which a legacy system writes for a
 * license without an end of validity. node-postgres parses them as the numbers ±Infinity, which no
 * JSON holds: a lone value reached the mappings as a number where a `timestamp` or `date` column
 * hands over the text `infinity`, and in a `timestamptz[]` the element went out as `null`, a
 * permanent validity read as none. They are the text the database holds, as for `timestamp`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceValue } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL timestamptz infinity', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(
      'CREATE TABLE t_yxq (id int PRIMARY KEY, yxqz timestamptz, yxq timestamp, lsyxq timestamptz[])',
    );
    await fresh.client.query(
      `INSERT INTO t_yxq VALUES
         (1, 'infinity', 'infinity', '{infinity,"2024-03-01 07:00:00+08",NULL}'),
         (2, '-infinity', '-infinity', '{-infinity}'),
         (3, '2024-03-01 07:00:00+08', '2024-03-01 07:00:00', NULL),
         (4, NULL, NULL, '{NULL}')`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  async function rows(): Promise<Record<string, SourceValue>[]> {
    const pages = await readAll(source, { table: 't_yxq', key: 'id' }, 10);
    return pages.flatMap((p) => p.rows.map((r) => r.values));
  }

  it('hands a lone infinity over as its text, as a timestamp column does', async () => {
    const [one, two, three, four] = await rows();
    expect(one?.yxqz).toBe('infinity');
    expect(one?.yxq).toBe('infinity');
    expect(two?.yxqz).toBe('-infinity');
    expect(two?.yxq).toBe('-infinity');
    expect((three?.yxqz as Date | undefined)?.toISOString()).toBe('2024-02-29T23:00:00.000Z');
    expect(four?.yxqz).toBeNull();
  });

  it('keeps an infinity in a timestamptz list, apart from a NULL', async () => {
    const [one, two, three, four] = await rows();
    // The other elements on the default zone's wall clock (pg-zoned-list-days).
    expect(one?.lsyxq).toBe('["infinity","2024-03-01T07:00:00.000+08:00",null]');
    expect(two?.lsyxq).toBe('["-infinity"]');
    expect(three?.lsyxq).toBeNull();
    expect(four?.lsyxq).toBe('[null]');
  });
});
