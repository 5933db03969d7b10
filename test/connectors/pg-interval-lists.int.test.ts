/**
 * A PostgreSQL `interval[]` column (the validity periods of a licence's items, kept as a list).
 * Each read sets IntervalStyle to ISO 8601 so that a lone interval is its ISO text; the elements of
 * a list went through node-postgres' interval parser, which reads only the postgres style, found
 * no part in `P1M2D`, and made each an empty object: `{"1 mon 2 days","5 years"}` reached the
 * mappings as `[{},{}]`, every period lost. An element is now its ISO 8601 text, as a lone
 * interval is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL interval lists', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE t_yxqs (id int PRIMARY KEY, yxq interval, yxqs interval[])');
    await fresh.client.query(
      `INSERT INTO t_yxqs VALUES
         (1, '1 mon 2 days', '{"1 mon 2 days","5 years",NULL,"1 day 02:00:00.5"}'),
         (2, NULL, '{}'),
         (3, NULL, NULL)`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('hands each element over as its ISO 8601 text, as a lone interval', async () => {
    const pages = await readAll(source, { table: 't_yxqs', key: 'id' }, 10);
    const [one, two, three] = pages.flatMap((p) => p.rows.map((r) => r.values));
    expect(one?.yxq).toBe('P1M2D');
    expect(one?.yxqs).toBe('["P1M2D","P5Y",null,"P1DT2H0.5S"]');
    expect(two?.yxqs).toBe('[]');
    expect(three?.yxqs).toBeNull();
  });
});
