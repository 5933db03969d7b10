/**
 * A PostgreSQL `double precision[]` or `real[]` holding `NaN`, `Infinity` or `-Infinity` (a
 * measurement list whose instrument wrote no reading). node-postgres parses the elements as the
 * numbers, which JSON cannot hold, and the list's JSON wrote each as `null`, the same as a NULL
 * element: the value was gone without a word. Such an element is now its text, as a `numeric[]`'s
 * `NaN` is; finite elements are numbers, as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL float lists', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE t_cl (id int PRIMARY KEY, d8 float8[], d4 real[], je numeric[])');
    await fresh.client.query(
      `INSERT INTO t_cl VALUES
         (1, '{0.1,NaN,Infinity,-Infinity,NULL}', '{0.1,NaN,-Infinity}', '{NaN,1.50}'),
         (2, '{1.5,-2}', '{}', NULL)`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('keeps NaN and the infinities as their text, apart from a NULL', async () => {
    const pages = await readAll(source, { table: 't_cl', key: 'id' }, 10);
    const [one, two] = pages.flatMap((p) => p.rows.map((r) => r.values));
    expect(one?.d8).toBe('[0.1,"NaN","Infinity","-Infinity",null]');
    expect(one?.d4).toBe('[0.1,"NaN","-Infinity"]');
    expect(one?.je).toBe('["NaN",1.5]');
    expect(two?.d8).toBe('[1.5,-2]');
    expect(two?.d4).toBe('[]');
  });
});
