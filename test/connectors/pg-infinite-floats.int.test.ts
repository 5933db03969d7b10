/**
 * A PostgreSQL `double precision` or `real` column holding `Infinity`, `-Infinity` or `NaN` (a
 * validity in days a legacy system wrote as without end). node-postgres parses them as the numbers,
 * which the mappings refuse before any step (`number Infinity is not finite`): the row was
 * quarantined, where a `numeric`'s `NaN` and a float list's elements are handed over as their
 * text, which a mapping can read (a dictionary, a `when`). A lone float's are their text too now;
 * finite values are numbers, as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceValue } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL float columns holding infinities and NaN', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE t_yxts (id int PRIMARY KEY, yxts float8, xs real, je numeric)');
    await fresh.client.query(
      `INSERT INTO t_yxts VALUES
         (1, 'Infinity', '-Infinity', 'NaN'),
         (2, 'NaN', 'NaN', 'Infinity'),
         (3, 0.1, 0.1, 1.5),
         (4, NULL, NULL, NULL)`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  async function rows(): Promise<Record<string, SourceValue>[]> {
    const pages = await readAll(source, { table: 't_yxts', key: 'id' }, 10);
    return pages.flatMap((p) => p.rows.map((r) => r.values));
  }

  it('hands NaN and the infinities over as their text, as a numeric and a float list do', async () => {
    const [one, two] = await rows();
    expect([one?.yxts, one?.xs, one?.je]).toEqual(['Infinity', '-Infinity', 'NaN']);
    expect([two?.yxts, two?.xs, two?.je]).toEqual(['NaN', 'NaN', 'Infinity']);
  });

  it('keeps finite values numbers and NULL null', async () => {
    const [, , three, four] = await rows();
    expect([three?.yxts, three?.xs, three?.je]).toEqual([0.1, 0.1, '1.5']);
    expect([four?.yxts, four?.xs, four?.je]).toEqual([null, null, null]);
  });
});
